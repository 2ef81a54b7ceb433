package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The operators' inspect and purge endpoints and the dashboard's page over HTTP, on a real redis-server. Workers'
 * leases and active lists are written as the worker's heartbeat and take write them; each test starts from empty
 * databases.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class AdminEndpointsTest {

    private static final String ADMIN_PASSWORD = "operator-secret-for-tests";
    private static final String QUEUE = WorkerRecords.QUEUE;

    @BeforeEach
    void startFromEmptyDatabases() {
        redis().command(WorkerRecords.BROKER_DB, "FLUSHDB");
        redis().command(WorkerRecords.RESULT_DB, "FLUSHDB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/admin/queues", "/v1/admin/queues/default", "/v1/admin/workers", "/v1/admin/tasks"})
    void refusesReadsWithoutCredentialsWith401AndAChallenge(String path) {
        Response response = given().get(path);

        assertProblem(response, 401, path);
        assertThat(response.header("WWW-Authenticate")).startsWithIgnoringCase("basic ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/admin/queues", "/v1/admin/workers", "/v1/admin/tasks"})
    void grantsNothingToATenant(String path) {
        Response response = given().header("X-Aurum-Tenant", "acme").get(path);

        assertProblem(response, 401, path);
    }

    @Test
    void refusesAPurgeWithoutCredentialsAndKeepsTheQueue() {
        enqueue("acme");

        Response response = given().header("X-Aurum-Tenant", "acme").post("/v1/admin/queues/default/purge");

        assertProblem(response, 401, "/v1/admin/queues/default/purge");
        assertThat(WorkerRecords.pendingMessages()).hasSize(1);
    }

    @Test
    void refusesAUserWithoutTheAdminRoleWith403() {
        Response response = given().auth().preemptive().basic("auditor", "auditor-secret-for-tests")
                .get("/v1/admin/workers");

        assertProblem(response, 403, "/v1/admin/workers");
    }

    @Test
    void listsTheDefaultQueueWithItsDepth() {
        enqueue("acme");
        enqueue("globex");
        holdAsWorker("worker-a", "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAA\",\"job\":\"sleep\",\"queue\":\"default\","
                + "\"tenant\":\"acme\",\"created\":1000,\"payload\":{}}");

        Response response = asAdmin().get("/v1/admin/queues");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("queues.queue")).containsExactly(QUEUE);
        assertThat(response.jsonPath().getMap("queues[0]")).containsEntry("pending", 2).containsEntry("delayed", 0)
                .containsEntry("active", 1).containsEntry("workers", 1).containsEntry("dead_letters", 0);
    }

    @Test
    void showsAQueueByNameEvenWhenNothingWasEverQueuedOnIt() {
        Response response = asAdmin().get("/v1/admin/queues/{queue}", "quiet");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("queue")).isEqualTo("quiet");
        assertThat(response.jsonPath().getInt("pending")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/admin/queues/-bad", "/v1/admin/queues/_bad/purge"})
    void refusesAMalformedQueueNameWith400(String path) {
        Response response = path.endsWith("/purge") ? asAdmin().post(path) : asAdmin().get(path);

        assertProblem(response, 400, path);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-queue");
    }

    @Test
    void listsWorkersWithWhatTheyRunAndSinceWhen() {
        String held = "BBBBBBBBBBBBBBBBBBBBBBBB";
        holdAsWorker("worker-a", "{\"id\":\"" + held + "\",\"job\":\"sleep\",\"queue\":\"default\","
                + "\"tenant\":\"acme\",\"created\":1000,\"payload\":{}}");
        redis().command(WorkerRecords.RESULT_DB, "HSET", RedisKeys.task(held), "state", "STARTED",
                "started", "1700000000000", "attempts", "1");

        Response response = asAdmin().get("/v1/admin/workers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("workers.worker")).containsExactly("worker-a");
        assertThat(response.jsonPath().getBoolean("workers[0].alive")).isTrue();
        assertThat(response.jsonPath().getList("workers[0].queues")).containsExactly(QUEUE);
        assertThat(response.jsonPath().getMap("workers[0].tasks[0]")).containsEntry("task_id", held)
                .containsEntry("job", "sleep").containsEntry("state", "STARTED")
                .containsEntry("started_at", "2023-11-14T22:13:20Z").containsEntry("tenant", "acme");
    }

    @Test
    void listsRecentTasksNewestFirstWithTheirState() throws Exception {
        String older = enqueue("acme");
        Thread.sleep(5);
        String newer = enqueue("globex");
        WorkerRecords.succeed(older, "{\"ok\":true}");

        Response response = asAdmin().queryParam("limit", 10).get("/v1/admin/tasks");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("tasks.task_id")).containsExactly(newer, older);
        assertThat(response.jsonPath().getList("tasks.state")).containsExactly("PENDING", "SUCCESS");
        assertThat(response.jsonPath().getList("tasks.tenant")).containsExactly("globex", "acme");
        assertThat(response.asString()).doesNotContain("\"result\"", "\"payload\"");
    }

    @Test
    void listsRecentTasksOfOneQueue() {
        String id = enqueue("acme");

        List<String> onDefault = asAdmin().queryParam("queue", QUEUE).get("/v1/admin/tasks")
                .jsonPath().getList("tasks.task_id");
        List<String> onOther = asAdmin().queryParam("queue", "other").get("/v1/admin/tasks")
                .jsonPath().getList("tasks.task_id");

        assertThat(onDefault).containsExactly(id);
        assertThat(onOther).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "lots"})
    void refusesARecentTasksLimitOutsideOneTo1000With400(String limit) {
        Response response = asAdmin().queryParam("limit", limit).get("/v1/admin/tasks");

        assertProblem(response, 400, "/v1/admin/tasks");
        assertThat(response.jsonPath().getString("detail")).contains("1 to 1000");
    }

    @Test
    void refusesAMalformedQueueFilterWith400() {
        Response response = asAdmin().queryParam("queue", "{q}").get("/v1/admin/tasks");

        assertProblem(response, 400, "/v1/admin/tasks");
    }

    @Test
    void purgesTheQueueAndShowsItsTasksAsRevokedToTheirOwners() {
        String one = enqueue("acme");
        String two = enqueue("acme");

        Response response = asAdmin().post("/v1/admin/queues/{queue}/purge", QUEUE);
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", one);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getMap("$")).containsEntry("queue", QUEUE).containsEntry("purged", 2)
                .containsEntry("revoked", 2);
        assertThat(WorkerRecords.pendingMessages()).isEmpty();
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.jsonPath().getString("state")).isEqualTo("REVOKED");
        assertThat(WorkerRecords.record(two)).containsEntry("state", "REVOKED");
    }

    @Test
    void purgesAnEmptyQueueWithNothingToDo() {
        Response response = asAdmin().post("/v1/admin/queues/{queue}/purge", "quiet");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getInt("purged")).isZero();
    }

    @Test
    void keepsTenantsApartFromEachOtherAfterAdminReads() {
        String acmeTask = enqueue("acme");
        asAdmin().get("/v1/admin/tasks");

        Response other = given().header("X-Aurum-Tenant", "globex").get("/v1/tasks/{id}", acmeTask);

        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheDashboardToTheAdminOnly() {
        Response anonymous = given().redirects().follow(false).get("/admin/");
        Response tenant = given().header("X-Aurum-Tenant", "acme").get("/admin/dashboard.js");
        Response admin = asAdmin().get("/admin/");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWithIgnoringCase("basic ");
        assertThat(tenant.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.contentType()).startsWith("text/html");
        assertThat(admin.asString()).contains("Aurum Offload", "dashboard.js");
    }

    @Test
    void refusesTheDashboardWithoutCredentialsHoweverItsPathIsSpelled() {
        for (String path : List.of("/admin", "/admin/index.html", "/admin%2Findex.html", "/admin%2fdashboard.js",
                "/admin/%2e/index.html", "//admin/index.html")) {
            Response anonymous = given().urlEncodingEnabled(false).redirects().follow(false).get(path);

            assertThat(anonymous.statusCode()).as(path).isIn(401, 404);
            assertThat(anonymous.asString()).as(path).doesNotContain("Aurum Offload dashboard");
        }
    }

    @Test
    void servesTheDashboardsFilesWithTheirTypesAndNothingElse() {
        assertThat(asAdmin().get("/admin/dashboard.js").contentType()).startsWith("text/javascript");
        assertThat(asAdmin().get("/admin/dashboard.css").contentType()).startsWith("text/css");
        assertProblem(asAdmin().get("/admin/application.properties"), 404, "/admin/application.properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Origin: http://attacker.example", "Origin: null",
            "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: same-site"})
    void refusesAPurgeABrowserSendsFromAnotherSiteAndKeepsTheQueue(String header) {
        enqueue("acme");
        String[] nameAndValue = header.split(": ", 2);

        Response response = asAdmin().header(nameAndValue[0], nameAndValue[1])
                .post("/v1/admin/queues/{queue}/purge", QUEUE);

        assertProblem(response, 403, "/v1/admin/queues/" + QUEUE + "/purge");
        assertThat(response.jsonPath().getString("type")).endsWith("cross-site-request");
        assertThat(WorkerRecords.pendingMessages()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//v1/admin/queues/default/purge", "/v1//admin/queues/default/purge",
            "/v1/%61dmin/queues/default/purge", "/v1/x/../admin/queues/default/purge"})
    void refusesACrossSitePurgeHoweverItsPathIsSpelled(String path) throws Exception {
        enqueue("acme");
        // The JDK's client sends the path exactly as written, as a browser's form would.
        String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(
                StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Authorization", "Basic " + credentials).header("Origin", "https://attacker.example")
                .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build();

        int status;
        try (HttpClient http = HttpClient.newHttpClient()) {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        assertThat(status).as(path).isIn(403, 404);
        assertThat(WorkerRecords.pendingMessages()).as(path).hasSize(1);
    }

    @Test
    void acceptsAPurgeFromTheDashboardsOwnOrigin() {
        enqueue("acme");
        String origin = RestAssured.baseURI + ":" + RestAssured.port;

        Response response = asAdmin().header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                .post("/v1/admin/queues/{queue}/purge", QUEUE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getInt("purged")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit", "queue"})
    void refusesAnEmptyQueryParameter(String name) {
        Response response = asAdmin().urlEncodingEnabled(false).get("/v1/admin/tasks?" + name + "=");

        assertProblem(response, 400, "/v1/admin/tasks");
    }

    private static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    private static String enqueue(String tenant) {
        Response enqueued = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "heavy_compute");
        assertThat(enqueued.statusCode()).isEqualTo(202);
        return enqueued.jsonPath().getString("task_id");
    }

    /** A worker's lease (30 s ahead) and one held message, as its heartbeat and take write them. */
    private static void holdAsWorker(String worker, String message) {
        long leaseUntil = System.currentTimeMillis() + 30_000;
        redis().command(WorkerRecords.BROKER_DB, "ZADD", RedisKeys.workers(QUEUE), Long.toString(leaseUntil), worker);
        redis().command(WorkerRecords.BROKER_DB, "LPUSH", RedisKeys.active(QUEUE, worker), message);
    }

    private static RedisServer redis() {
        return RedisTestResource.server();
    }
}

package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The operators' dead-letter endpoints on a real redis-server. Dead letters are filed as the worker files them
 * ({@link WorkerRecords#deadLetter}); each test starts from an empty dead set.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class DeadLetterAdminTest {

    private static final String ADMIN_PASSWORD = "operator-secret-for-tests";
    private static final String DEAD_LETTERS = "/v1/admin/queues/default/dead-letters";

    @BeforeEach
    void forgetEarlierDeadLetters() {
        RedisTestResource.server().command(WorkerRecords.BROKER_DB, "DEL", RedisKeys.dead("default"),
                RedisKeys.deadEntries("default"));
    }

    @Test
    void refusesACallerWithoutCredentialsWith401AndABasicChallenge() {
        Response response = given().get(DEAD_LETTERS);

        assertProblem(response, 401, DEAD_LETTERS);
        assertThat(response.header("WWW-Authenticate")).startsWithIgnoringCase("basic ")
                .contains("realm=\"aurum-offload-admin\"");
    }

    @Test
    void refusesAWrongPasswordWith401() {
        Response response = given().auth().preemptive().basic("admin", "guess").get(DEAD_LETTERS);

        assertProblem(response, 401, DEAD_LETTERS);
        assertThat(response.header("WWW-Authenticate")).startsWithIgnoringCase("basic ")
                .contains("realm=\"aurum-offload-admin\"");
    }

    @Test
    void grantsNothingToATenantHeader() {
        Response response = given().header("X-Aurum-Tenant", "acme").get(DEAD_LETTERS);

        assertProblem(response, 401, DEAD_LETTERS);
    }

    @Test
    void ignoresCredentialsOnTheTenantEndpoints() {
        Response response = given().auth().preemptive().basic("admin", "guess").header("X-Aurum-Tenant", "acme")
                .contentType(ContentType.JSON).body("{}").post("/v1/jobs/{job}", "heavy_compute");

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void refusesAUserWithoutTheAdminRoleWith403() {
        Response response = given().auth().preemptive().basic("auditor", "auditor-secret-for-tests")
                .get(DEAD_LETTERS);

        assertProblem(response, 403, DEAD_LETTERS);
    }

    @Test
    void refusesARequeueWithoutCredentialsAndLeavesTheDeadLetter() throws IOException {
        String taskId = deadTask("acme", 1_000);

        Response response = given().post(DEAD_LETTERS + "/{id}/requeue", taskId);

        assertProblem(response, 401, DEAD_LETTERS + "/" + taskId + "/requeue");
        assertThat(WorkerRecords.deadLetterIds()).containsExactly(taskId);
    }

    @Test
    void refusesARequeueOrDeleteABrowserSendsFromAnotherSiteAndLeavesTheDeadLetter() throws IOException {
        String taskId = deadTask("acme", 1_000);

        Response requeue = asAdmin().header("Origin", "https://attacker.example")
                .post(DEAD_LETTERS + "/{id}/requeue", taskId);
        Response delete = asAdmin().header("Sec-Fetch-Site", "cross-site").delete(DEAD_LETTERS + "/{id}", taskId);

        assertProblem(requeue, 403, DEAD_LETTERS + "/" + taskId + "/requeue");
        assertProblem(delete, 403, DEAD_LETTERS + "/" + taskId);
        assertThat(WorkerRecords.deadLetterIds()).containsExactly(taskId);
    }

    @Test
    void listsDeadLettersNewestFirstWithTheirLastError() throws IOException {
        String older = deadTask("acme", 1_000);
        String newer = deadTask("globex", 2_000);

        Response response = asAdmin().get(DEAD_LETTERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("queue")).isEqualTo("default");
        assertThat(response.jsonPath().getLong("total")).isEqualTo(2);
        assertThat(response.jsonPath().getList("dead_letters.task_id")).containsExactly(newer, older);
        assertThat(response.jsonPath().getString("dead_letters[0].tenant")).isEqualTo("globex");
        assertThat(response.jsonPath().getString("dead_letters[0].job")).isEqualTo("heavy_compute");
        assertThat(response.jsonPath().getInt("dead_letters[0].attempts")).isEqualTo(3);
        assertThat(response.jsonPath().getString("dead_letters[0].error.type")).isEqualTo("IllegalStateException");
        assertThat(response.jsonPath().getString("dead_letters[0].error.message")).isEqualTo("failed at 2000");
        assertThat(response.jsonPath().getString("dead_letters[0].failed_at")).isEqualTo("1970-01-01T00:00:02Z");
    }

    @Test
    void listsAtMostTheLimitButCountsThemAll() throws IOException {
        deadTask("acme", 1_000);
        deadTask("acme", 2_000);
        String newest = deadTask("acme", 3_000);

        Response response = asAdmin().queryParam("limit", 1).get(DEAD_LETTERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("dead_letters.task_id")).containsExactly(newest);
        assertThat(response.jsonPath().getLong("total")).isEqualTo(3);
    }

    @Test
    void listsUnreadableDataAmongTheDeadLetters() throws IOException {
        WorkerRecords.deadLetterUnreadable("unreadable-5f3a-1000", "not json at all", 1_000);

        Response response = asAdmin().get(DEAD_LETTERS);

        assertThat(response.jsonPath().getList("dead_letters.task_id")).containsExactly("unreadable-5f3a-1000");
        assertThat(response.jsonPath().getString("dead_letters[0].error.type")).isEqualTo("UnreadableMessage");
    }

    @Test
    void listsNothingForAQueueWithoutDeadLetters() {
        Response response = asAdmin().get("/v1/admin/queues/{queue}/dead-letters", "quiet");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("dead_letters")).isEmpty();
        assertThat(response.jsonPath().getLong("total")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "ten", "1.5"})
    void refusesALimitOutsideOneTo1000With400(String limit) {
        Response response = asAdmin().queryParam("limit", limit).get(DEAD_LETTERS);

        assertProblem(response, 400, DEAD_LETTERS);
        assertThat(response.jsonPath().getString("detail")).contains("1 to 1000");
    }

    @Test
    void refusesAMalformedQueueNameWith400() {
        Response response = asAdmin().get("/v1/admin/queues/{queue}/dead-letters", "-bad:queue");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-queue");
    }

    @Test
    void requeuesADeadTaskOntoItsQueueAsPendingWithNoFailures() throws IOException {
        String taskId = deadTask("acme", 1_000);
        String raw = rawMessageOf(taskId);

        Response response = asAdmin().post(DEAD_LETTERS + "/{id}/requeue", taskId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("task_id")).isEqualTo(taskId);
        assertThat(response.jsonPath().getString("state")).isEqualTo("PENDING");
        assertThat(WorkerRecords.pendingMessages()).contains(raw);
        assertThat(WorkerRecords.record(taskId)).containsEntry("state", "PENDING").containsEntry("failures", "0")
                .doesNotContainKeys("error_type", "error_message", "finished");
    }

    @Test
    void keepsARequeuedTasksRecordUntilItFinishesAgain() throws IOException {
        String taskId = deadTask("acme", 1_000);

        asAdmin().post(DEAD_LETTERS + "/{id}/requeue", taskId);

        assertThat(RedisTestResource.server().command(WorkerRecords.RESULT_DB, "PTTL", RedisKeys.task(taskId)))
                .isEqualTo("-1");
        assertThat(RedisTestResource.server().command(WorkerRecords.RESULT_DB, "EXISTS", RedisKeys.gone(taskId)))
                .isEqualTo("0");
    }

    @Test
    void removesARequeuedTaskFromTheDeadLetters() throws IOException {
        String taskId = deadTask("acme", 1_000);

        asAdmin().post(DEAD_LETTERS + "/{id}/requeue", taskId);

        assertThat(WorkerRecords.deadLetterIds()).doesNotContain(taskId);
        assertThat(WorkerRecords.hasDeadLetterEntry(taskId)).isFalse();
    }

    @Test
    void showsTheOwnerARequeuedTaskAsPendingAgain() throws IOException {
        String taskId = deadTask("acme", 1_000);

        asAdmin().post(DEAD_LETTERS + "/{id}/requeue", taskId);
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(status.statusCode()).isEqualTo(202);
        assertThat(status.jsonPath().getString("state")).isEqualTo("PENDING");
        assertThat(status.jsonPath().getMap("$")).doesNotContainKeys("error", "finished_at");
    }

    @Test
    void answers404ToARequeueOfAnIdThatIsNoDeadLetter() {
        String path = DEAD_LETTERS + "/AAAAAAAAAAAAAAAAAAAAAAAA/requeue";

        Response response = asAdmin().post(path);

        assertProblem(response, 404, path);
    }

    @Test
    void answers404ToARequeueOfUnreadableDataAndKeepsIt() throws IOException {
        WorkerRecords.deadLetterUnreadable("unreadable-5f3a-1000", "not json at all", 1_000);
        String path = DEAD_LETTERS + "/unreadable-5f3a-1000/requeue";

        Response response = asAdmin().post(path);

        assertProblem(response, 404, path);
        assertThat(WorkerRecords.deadLetterIds()).containsExactly("unreadable-5f3a-1000");
        assertThat(WorkerRecords.pendingMessages()).doesNotContain("not json at all");
    }

    @Test
    void deletesADeadLetterWith204() throws IOException {
        String taskId = deadTask("acme", 1_000);

        Response response = asAdmin().delete(DEAD_LETTERS + "/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(WorkerRecords.deadLetterIds()).doesNotContain(taskId);
        assertThat(WorkerRecords.hasDeadLetterEntry(taskId)).isFalse();
        assertThat(asAdmin().get(DEAD_LETTERS).jsonPath().getList("dead_letters")).isEmpty();
    }

    @Test
    void leavesTheFailedRecordOfADeletedDeadLetterToTheOwner() throws IOException {
        String taskId = deadTask("acme", 1_000);

        asAdmin().delete(DEAD_LETTERS + "/{id}", taskId);
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.jsonPath().getString("state")).isEqualTo("FAILURE");
    }

    @Test
    void answers404ToADeleteOfAnIdThatIsNoDeadLetter() {
        String path = DEAD_LETTERS + "/AAAAAAAAAAAAAAAAAAAAAAAA";

        Response response = asAdmin().delete(path);

        assertProblem(response, 404, path);
    }

    @Test
    void answers400ToAMalformedTaskId() {
        String path = DEAD_LETTERS + "/bad.id/requeue";

        Response response = asAdmin().post(path);

        assertProblem(response, 400, path);
    }

    private static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    /** Enqueues a task for {@code tenant} and lets it fail for good after three attempts at {@code failedAtMs}. */
    private static String deadTask(String tenant, long failedAtMs) throws IOException {
        Response enqueued = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON)
                .body("{\"n\":" + failedAtMs + "}").post("/v1/jobs/{job}", "heavy_compute");
        assertThat(enqueued.statusCode()).isEqualTo(202);
        String taskId = enqueued.jsonPath().getString("task_id");
        WorkerRecords.deadLetter(taskId, 3, "IllegalStateException", "failed at " + failedAtMs, failedAtMs);
        return taskId;
    }

    private static String rawMessageOf(String taskId) {
        String entry = RedisTestResource.server().command(WorkerRecords.BROKER_DB, "HGET",
                RedisKeys.deadEntries("default"), taskId);
        return io.restassured.path.json.JsonPath.from(entry).getString("message");
    }
}

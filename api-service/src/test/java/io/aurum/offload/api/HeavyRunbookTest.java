package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.job.JobContext;
import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.Outcome;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** The runbook's example, {@code POST /v1/heavy} then {@code GET /v1/heavy/{task_id}}, on a real redis-server. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class HeavyRunbookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JobPerformer performer;

    @Test
    void answers202WithOnlyTheTaskId() {
        Response response = given().header("X-Aurum-Tenant", "acme").post("/v1/heavy");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.jsonPath().getMap("$")).containsOnlyKeys("task_id");
        assertThat(response.jsonPath().getString("task_id")).matches("[A-Za-z0-9_-]{24}");
    }

    @Test
    void queuesHeavyComputeWithTheTenantAsPayload() throws Exception {
        String taskId = enqueueHeavy("acme");

        JsonNode message = WorkerRecords.queuedMessage(taskId);

        assertThat(message.get("job").asText()).isEqualTo("heavy_compute");
        assertThat(message.get("tenant").asText()).isEqualTo("acme");
        assertThat(message.get("payload")).isEqualTo(JSON.readTree("{\"tenant\":\"acme\"}"));
    }

    @Test
    void showsThePendingTaskWith202() {
        String taskId = enqueueHeavy("acme");

        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/heavy/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.jsonPath().getString("state")).isEqualTo("PENDING");
    }

    @Test
    void showsTheJobsResultWith200OnceTheTaskSucceeded() throws Exception {
        String taskId = enqueueHeavy("acme");
        JsonNode message = WorkerRecords.queuedMessage(taskId);
        // Runs the registered job on the queued payload and stores its outcome as the worker would; the worker
        // itself is exercised by the end-to-end test.
        Outcome outcome = performer.perform((ObjectNode) message.get("payload"),
                new JobContext(taskId, "heavy_compute", "acme", 1));
        WorkerRecords.succeed(taskId, JSON.writeValueAsString(((Outcome.Success) outcome).result()));

        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/heavy/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(JSON.readTree(response.asString()).get("result"))
                .isEqualTo(JSON.readTree("{\"ok\":true,\"input\":{\"tenant\":\"acme\"}}"));
    }

    @Test
    void hidesTheTaskFromAnotherTenant() {
        String taskId = enqueueHeavy("acme");

        Response response = given().header("X-Aurum-Tenant", "globex").get("/v1/heavy/{id}", taskId);

        ProblemAssertions.assertProblem(response, 404, "/v1/heavy/" + taskId);
    }

    private static String enqueueHeavy(String tenant) {
        Response response = given().header("X-Aurum-Tenant", tenant).post("/v1/heavy");
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }
}

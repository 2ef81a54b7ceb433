package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.task.TaskIds;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code DELETE /v1/tasks/{task_id}} against a real redis-server. No worker runs: a running task is one whose record
 * a test set to STARTED through {@link WorkerRecords}, as the worker's START script does.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class TaskCancelTest {

    private final TaskIds ids = new TaskIds();

    @Test
    void revokesAQueuedTaskWith200() {
        String taskId = enqueue("acme");

        Response response = cancel(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Retry-After")).isNull();
        assertThat(response.jsonPath().getString("task_id")).isEqualTo(taskId);
        assertThat(response.jsonPath().getString("state")).isEqualTo("REVOKED");
        assertThat(response.jsonPath().getString("finished_at")).isNotBlank();
    }

    @Test
    void showsARevokedTaskAsFinishedAfterwards() {
        String taskId = enqueue("acme");
        cancel(taskId, "acme");

        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.jsonPath().getString("state")).isEqualTo("REVOKED");
        assertThat(WorkerRecords.record(taskId)).containsEntry("state", "REVOKED").containsEntry("cancel", "1");
    }

    @Test
    void asksTheWorkerToStopARunningTaskAndAnswers202() {
        String taskId = enqueue("acme");
        WorkerRecords.markState(taskId, "STARTED");

        Response response = cancel(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.jsonPath().getString("state")).isEqualTo("STARTED");
        assertThat(WorkerRecords.record(taskId)).containsEntry("state", "STARTED").containsEntry("cancel", "1");
    }

    @Test
    void revokesATaskWaitingForItsRetry() {
        String taskId = enqueue("acme");
        WorkerRecords.markState(taskId, "RETRY");

        Response response = cancel(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("REVOKED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUCCESS", "FAILURE"})
    void refusesToCancelAFinishedTaskWith409(String state) {
        String taskId = enqueue("acme");
        if (state.equals("SUCCESS")) {
            WorkerRecords.succeed(taskId, "{\"ok\":true}");
        } else {
            WorkerRecords.fail(taskId, "IllegalStateException", "odd input");
        }

        Response response = cancel(taskId, "acme");

        assertProblem(response, 409, "/v1/tasks/" + taskId);
        assertThat(response.jsonPath().getString("type")).endsWith(":task-already-finished");
        assertThat(response.jsonPath().getString("detail")).contains(state);
        assertThat(WorkerRecords.record(taskId)).containsEntry("state", state).doesNotContainKey("cancel");
    }

    @Test
    void refusesToCancelARevokedTaskAgainWith409() {
        String taskId = enqueue("acme");
        cancel(taskId, "acme");

        Response again = cancel(taskId, "acme");

        assertProblem(again, 409, "/v1/tasks/" + taskId);
    }

    @Test
    void answers404ForAnIdThatNeverExistedExactlyLikeAStatusRead() {
        String taskId = ids.next();

        Response cancel = cancel(taskId, "acme");
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertProblem(cancel, 404, "/v1/tasks/" + taskId);
        assertThat(cancel.asString()).isEqualTo(status.asString());
        assertThat(headerLines(cancel)).isEqualTo(headerLines(status));
    }

    @Test
    void answersAnotherTenantsTaskExactlyLikeAnIdThatNeverExisted() {
        String othersTask = enqueue("acme");
        String neverExisted = ids.next();

        Response forOthersTask = cancel(othersTask, "globex");
        Response forNeverExisted = cancel(neverExisted, "globex");

        assertProblem(forOthersTask, 404, "/v1/tasks/" + othersTask);
        assertThat(forOthersTask.asByteArray()).isEqualTo(forNeverExisted.asString()
                .replace(neverExisted, othersTask).getBytes(StandardCharsets.UTF_8));
        assertThat(headerLines(forOthersTask)).isEqualTo(headerLines(forNeverExisted));
    }

    @Test
    void answers410ToTheOwnerOfATaskWhoseResultExpiredLikeAStatusRead() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");
        WorkerRecords.expireResult(taskId);

        Response cancel = cancel(taskId, "acme");
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertProblem(cancel, 410, "/v1/tasks/" + taskId);
        assertThat(cancel.asString()).isEqualTo(status.asString());
    }

    @Test
    void answers404ToAnotherTenantForAnExpiredTask() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");
        WorkerRecords.expireResult(taskId);

        Response response = cancel(taskId, "globex");

        assertProblem(response, 404, "/v1/tasks/" + taskId);
    }

    @Test
    void leavesAnotherTenantsTaskUntouched() {
        String othersTask = enqueue("acme");

        cancel(othersTask, "globex");

        assertThat(WorkerRecords.record(othersTask)).containsEntry("state", "PENDING").doesNotContainKey("cancel");
    }

    @Test
    void refusesACancelWithoutTenantWith400() {
        String taskId = enqueue("acme");

        Response response = given().delete("/v1/tasks/{id}", taskId);

        assertProblem(response, 400, "/v1/tasks/" + taskId);
        assertThat(WorkerRecords.record(taskId)).containsEntry("state", "PENDING");
    }

    @Test
    void refusesAMalformedTaskIdWith400() {
        Response response = cancel("not.a.task", "acme");

        assertProblem(response, 400, "/v1/tasks/not.a.task");
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-task-id");
    }

    private static List<String> headerLines(Response response) {
        return response.headers().asList().stream().filter(h -> !h.getName().equalsIgnoreCase("Date"))
                .map(h -> h.getName() + ": " + h.getValue()).toList();
    }

    private static String enqueue(String tenant) {
        Response response = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON)
                .body("{\"n\":1}").post("/v1/jobs/{job}", "heavy_compute");
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }

    private static Response cancel(String taskId, String tenant) {
        return given().header("X-Aurum-Tenant", tenant).delete("/v1/tasks/{id}", taskId);
    }
}

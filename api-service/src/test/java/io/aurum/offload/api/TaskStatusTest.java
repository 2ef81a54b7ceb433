package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
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
 * {@code GET /v1/tasks/{task_id}} against a real redis-server. No worker runs here: tasks stay PENDING unless a
 * test stores an outcome through {@link WorkerRecords}.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class TaskStatusTest {

    private final TaskIds ids = new TaskIds();

    @Test
    void answers202WithRetryAfterWhileTheTaskIsPending() {
        String taskId = enqueue("acme");

        Response response = status(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.jsonPath().getString("task_id")).isEqualTo(taskId);
        assertThat(response.jsonPath().getString("state")).isEqualTo("PENDING");
        assertThat(response.jsonPath().getString("job")).isEqualTo("heavy_compute");
        assertThat(response.jsonPath().getMap("$")).doesNotContainKeys("result", "error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"STARTED", "RETRY"})
    void answers202WithRetryAfterWhileTheTaskIsUnderway(String state) {
        String taskId = enqueue("acme");
        WorkerRecords.markState(taskId, state);

        Response response = status(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.jsonPath().getString("state")).isEqualTo(state);
    }

    @Test
    void answers200ForARevokedTask() {
        String taskId = enqueue("acme");
        WorkerRecords.markState(taskId, "REVOKED");

        Response response = status(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Retry-After")).isNull();
        assertThat(response.jsonPath().getString("state")).isEqualTo("REVOKED");
    }

    @Test
    void answers200WithTheResultOnceTheTaskSucceeded() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true,\"input\":{\"n\":1}}");

        Response response = status(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Retry-After")).isNull();
        assertThat(response.jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(response.jsonPath().getBoolean("result.ok")).isTrue();
        assertThat(response.jsonPath().getInt("result.input.n")).isEqualTo(1);
        assertThat(response.jsonPath().getMap("$")).doesNotContainKey("error");
    }

    @Test
    void answers200WithTheErrorOnceTheTaskFailed() {
        String taskId = enqueue("acme");
        WorkerRecords.fail(taskId, "IllegalStateException", "the input was odd");

        Response response = status(taskId, "acme");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("FAILURE");
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("IllegalStateException");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("the input was odd");
        assertThat(response.jsonPath().getMap("$")).doesNotContainKey("result");
    }

    @Test
    void answers404ForAnIdThatNeverExisted() {
        String taskId = ids.next();

        Response response = status(taskId, "acme");

        assertProblem(response, 404, "/v1/tasks/" + taskId);
    }

    @Test
    void answersAnotherTenantsTaskExactlyLikeAnIdThatNeverExisted() {
        String othersTask = enqueue("acme");
        String neverExisted = ids.next();

        Response forOthersTask = status(othersTask, "globex");
        Response forNeverExisted = status(neverExisted, "globex");

        assertProblem(forOthersTask, 404, "/v1/tasks/" + othersTask);
        assertThat(forOthersTask.asByteArray()).isEqualTo(forNeverExisted.asString()
                .replace(neverExisted, othersTask).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(headerLines(forOthersTask)).isEqualTo(headerLines(forNeverExisted));
    }

    @Test
    void answers410ForTheOwnersTaskWhoseResultExpired() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");
        WorkerRecords.expireResult(taskId);

        Response response = status(taskId, "acme");

        assertProblem(response, 410, "/v1/tasks/" + taskId);
    }

    @Test
    void answers404ToAnotherTenantForAnExpiredTask() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");
        WorkerRecords.expireResult(taskId);

        Response response = status(taskId, "globex");

        assertProblem(response, 404, "/v1/tasks/" + taskId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "not.a.task.id", "id-of-65-characters-is-one-too-many-"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void answers400ForAMalformedTaskId(String taskId) {
        Response response = status(taskId, "acme");

        assertProblem(response, 400, "/v1/tasks/" + taskId);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-task-id");
    }

    @Test
    void logsTheEnqueueButNotTheStatusPolls() {
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()
                        && record.getLoggerName() != null && record.getLoggerName().startsWith("io.aurum")) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);

        String taskId;
        try {
            taskId = enqueue("acme");
            for (int poll = 0; poll < 20; poll++) {
                assertThat(status(taskId, "acme").statusCode()).isEqualTo(202);
            }
        } finally {
            root.removeHandler(capture);
        }

        // The enqueue's one line proves the capture works; twenty polls add nothing to it.
        assertThat(records).hasSize(1);
        assertThat(text(records.get(0))).contains("id=" + taskId);
    }

    private static String text(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
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

    private static Response status(String taskId, String tenant) {
        return given().header("X-Aurum-Tenant", tenant).urlEncodingEnabled(true)
                .get("/v1/tasks/{id}", taskId);
    }
}

package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A delayed enqueue ({@code countdown} or {@code not_before}) against a real redis-server: the message waits in the
 * queue's delayed set, scored by when it is due, and the record is PENDING with its earliest start.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class EnqueueDelayTest {

    private static final String JOB_PATH = "/v1/jobs/heavy_compute";

    @Test
    void parksACountdownTaskInTheDelayedSetUntilItIsDue() {
        long before = System.currentTimeMillis();

        String taskId = enqueue(request().queryParam("countdown", 60));

        long after = System.currentTimeMillis();
        String raw = delayedMessageOf(taskId);
        assertThat(WorkerRecords.delayedMessages().get(raw)).isBetween(before + 60_000, after + 60_000);
        assertThat(WorkerRecords.pendingMessages()).noneMatch(message -> message.contains(taskId));
    }

    @Test
    void parksANotBeforeTaskInTheDelayedSetScoredByThatInstant() {
        Instant notBefore = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        String taskId = enqueue(request().queryParam("not_before", notBefore.toString()));

        assertThat(WorkerRecords.delayedMessages().get(delayedMessageOf(taskId))).isEqualTo(notBefore.toEpochMilli());
        assertThat(WorkerRecords.pendingMessages()).noneMatch(message -> message.contains(taskId));
    }

    @Test
    void recordsADelayedTaskPendingWithItsEarliestStart() {
        Instant notBefore = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

        String taskId = enqueue(request().queryParam("not_before", notBefore.toString()));

        assertThat(WorkerRecords.record(taskId)).containsEntry("state", "PENDING")
                .containsEntry("not_before", Long.toString(notBefore.toEpochMilli()));
    }

    @Test
    void showsTheEarliestStartInTheStatus() {
        Instant notBefore = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        String taskId = enqueue(request().queryParam("not_before", notBefore.toString()));
        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(status.statusCode()).isEqualTo(202);
        assertThat(status.jsonPath().getString("state")).isEqualTo("PENDING");
        assertThat(Instant.parse(status.jsonPath().getString("not_before"))).isEqualTo(notBefore);
    }

    @Test
    void queuesACountdownOfZeroAtOnce() {
        String taskId = enqueue(request().queryParam("countdown", 0));

        assertThat(WorkerRecords.pendingMessages()).anyMatch(message -> message.contains(taskId));
        assertThat(WorkerRecords.record(taskId)).doesNotContainKey("not_before");
    }

    @Test
    void queuesANotBeforeInThePastAtOnce() {
        String taskId = enqueue(request().queryParam("not_before", "2020-01-01T00:00:00Z"));

        assertThat(WorkerRecords.pendingMessages()).anyMatch(message -> message.contains(taskId));
    }

    @Test
    void refusesCountdownAndNotBeforeTogetherWith400() {
        Response response = request().queryParam("countdown", 5).queryParam("not_before", "2030-01-31T12:00:00Z")
                .post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("countdown", "not_before", "not both");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "31536001", "1.5", "soon", "9999999999999999999999"})
    void refusesACountdownThatIsNotWholeSecondsWithinAYearWith400(String countdown) {
        Response response = request().queryParam("countdown", countdown).post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("whole number of seconds from 0 to 31536000");
    }

    @Test
    void acceptsACountdownOfAYear() {
        String taskId = enqueue(request().queryParam("countdown", 31_536_000));

        assertThat(WorkerRecords.record(taskId)).containsKey("not_before");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomorrow", "2030-01-31", "2030-01-31 12:00:00", "1893456000", "2300-01-01T00:00:00Z"})
    void refusesANotBeforeThatIsNoInstantWithinAYearWith400(String notBefore) {
        Response response = request().queryParam("not_before", notBefore).post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("ISO-8601", "2030-01-31T12:00:00Z");
    }

    @Test
    void refusesABadDelayBeforeEnqueueingAnything() {
        int pendingBefore = WorkerRecords.pendingMessages().size();
        Map<String, Long> delayedBefore = WorkerRecords.delayedMessages();

        request().queryParam("countdown", "soon").post(JOB_PATH);

        assertThat(WorkerRecords.pendingMessages()).hasSize(pendingBefore);
        assertThat(WorkerRecords.delayedMessages()).isEqualTo(delayedBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"countdown", "not_before"})
    void refusesADelayGivenWithoutAValueAndEnqueuesNothing(String parameter) {
        int pendingBefore = WorkerRecords.pendingMessages().size();
        Map<String, Long> delayedBefore = WorkerRecords.delayedMessages();

        Response response = request().urlEncodingEnabled(false).post(JOB_PATH + "?" + parameter + "=");

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("type")).endsWith("invalid-delay");
        assertThat(WorkerRecords.pendingMessages()).hasSize(pendingBefore);
        assertThat(WorkerRecords.delayedMessages()).isEqualTo(delayedBefore);
    }

    private static RequestSpecification request() {
        return given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{\"n\":1}");
    }

    private static String enqueue(RequestSpecification request) {
        Response response = request.post(JOB_PATH);
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }

    private static String delayedMessageOf(String taskId) {
        return WorkerRecords.delayedMessages().keySet().stream().filter(message -> message.contains(taskId))
                .findFirst().orElseThrow(() -> new AssertionError("task " + taskId + " is not in the delayed set"));
    }
}

package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static io.aurum.offload.worker.WorkerTasks.pushPending;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The running worker takes tasks enqueued through the Redis backend, runs them and stores their outcome. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerProcessingTest {

    private static final String TENANT = "acme";

    @Inject
    OffloadClient client;
    @Inject
    JobRegistry registry;
    @Inject
    OffloadSettings settings;
    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void registersTheJobBeansOfTheApplication() {
        assertThat(registry.names()).contains(HeavyComputeJob.NAME, "sleep", "fail");
    }

    @Test
    void runsHeavyComputeToSuccessWithItsInput() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("x", 7);

        String id = enqueue(HeavyComputeJob.NAME, payload);

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result()).isEqualTo(expectedHeavyResult(payload));
        assertThat(status.error()).isNull();
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.startedAt()).isNotNull();
        assertThat(status.finishedAt()).isNotNull();
    }

    @Test
    void returnsAUnicodePayloadExactly() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("text", "Zoë naïve café – 日本語 – Ελληνικά – emoji 🚀👍🏽 – \"quotes\" \\ back\nslash");
        payload.putArray("list").add("ü").add("𝄞");

        String id = enqueue(HeavyComputeJob.NAME, payload);

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().get("input")).isEqualTo(payload);
        assertThat(status.result().get("input").get("text").asText()).isEqualTo(payload.get("text").asText());
    }

    @Test
    void endsAThrowingJobInFailureWithTheExceptionTypeAndMessageOnceOutOfAttempts() {
        String id = enqueue("fail", JsonNodeFactory.instance.objectNode().put("message", "disk full on /data ✗"));

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.attempts()).isEqualTo(3);
        assertThat(status.error()).isEqualTo(new TaskError("IllegalStateException", "disk full on /data ✗"));
        assertThat(status.result()).isNull();
    }

    @Test
    void runsTheNextTaskAfterAJobThrew() {
        String failing = enqueue("fail", JsonNodeFactory.instance.objectNode().put("message", "boom"));
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("after", "failure");

        String next = enqueue(HeavyComputeJob.NAME, payload);

        assertThat(awaitFinished(client, failing, TENANT).state()).isEqualTo(TaskState.FAILURE);
        TaskStatus status = awaitFinished(client, next, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result()).isEqualTo(expectedHeavyResult(payload));
    }

    @Test
    void showsTheProgressAJobReportsWhileItRuns() {
        String id = enqueue("progress", JsonNodeFactory.instance.objectNode().put("steps", 5).put("ms", 400));

        TaskStatus running = WorkerTasks.awaitStatus(client, id, TENANT, "to show progress",
                status -> status.state() == TaskState.STARTED && status.progress() != null);

        assertThat(running.progress().get("of").asInt()).isEqualTo(5);
        assertThat(running.progress().get("done").asInt()).isBetween(1, 5);
        TaskStatus done = awaitFinished(client, id, TENANT);
        assertThat(done.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(done.progress().get("done").asInt()).isEqualTo(5);
    }

    @Test
    void endsAJobWhoseResultIsNotJsonInFailureWithoutRetrying() {
        String id = enqueue("not_json", JsonNodeFactory.instance.objectNode());

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.error().type()).isEqualTo("InvalidResult");
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.result()).isNull();
    }

    @Test
    void runsTheNextTaskAfterAJobReturnedSomethingThatIsNotJson() {
        String invalid = enqueue("not_json", JsonNodeFactory.instance.objectNode());
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("after", "not_json");

        String next = enqueue(HeavyComputeJob.NAME, payload);

        assertThat(awaitFinished(client, invalid, TENANT).state()).isEqualTo(TaskState.FAILURE);
        TaskStatus status = awaitFinished(client, next, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result()).isEqualTo(expectedHeavyResult(payload));
    }

    @Test
    void endsATaskOfAnUnknownJobInFailure() {
        String id = new TaskIds().next();

        pushPending(message(id, "no_such_job", TENANT, "{\"a\":1}"));

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.job()).isEqualTo("no_such_job");
        assertThat(status.error().type()).isEqualTo("UnknownJob");
        assertThat(status.error().message()).contains("no_such_job");
    }

    @Test
    void parksAnUnreadableMessageInTheDeadLettersAndCarriesOn() {
        pushPending("this is not a task {");

        awaitTrue("the dead letter", () -> WorkerTasks.deadLetterCount() == 1);
        String next = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());

        JsonNode entry = WorkerTasks.onlyDeadEntry(mapper);
        assertThat(entry.get("task_id").asText()).startsWith("unreadable-");
        assertThat(entry.get("message").asText()).isEqualTo("this is not a task {");
        assertThat(entry.get("error").get("type").asText()).isEqualTo("UnreadableMessage");
        assertThat(awaitFinished(client, next, TENANT).state()).isEqualTo(TaskState.SUCCESS);
        awaitTrue("every delivery acknowledged", WorkerTasks::queueDrained);
    }

    @Test
    void parksAMessageWithoutPayloadInTheDeadLetters() {
        String incomplete = "{\"id\":\"" + new TaskIds().next() + "\",\"job\":\"heavy_compute\",\"queue\":\"default\"}";

        pushPending(incomplete);

        awaitTrue("the dead letter", () -> WorkerTasks.deadLetterCount() == 1);
        assertThat(WorkerTasks.onlyDeadEntry(mapper).get("message").asText()).isEqualTo(incomplete);
    }

    @Test
    void storesAFinishedTaskWithATimeToLiveAndAMarkerNamingItsTenant() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());
        awaitFinished(client, id, TENANT);

        long recordTtl = Long.parseLong(redis().command("-n", "1", "PTTL", RedisKeys.task(id)));
        long markerTtl = Long.parseLong(redis().command("-n", "1", "PTTL", RedisKeys.gone(id)));

        assertThat(recordTtl).isPositive().isLessThanOrEqualTo(settings.resultTtl().toMillis());
        assertThat(markerTtl).isGreaterThan(recordTtl);
        assertThat(redis().command("-n", "1", "GET", RedisKeys.gone(id))).isEqualTo(TENANT);
    }

    @Test
    void acknowledgesEveryDeliveryItFinished() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());

        awaitFinished(client, id, TENANT);

        awaitTrue("every delivery acknowledged", WorkerTasks::queueDrained);
        assertThat(WorkerTasks.deadLetterCount()).isZero();
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }

    private static ObjectNode expectedHeavyResult(ObjectNode payload) {
        ObjectNode expected = JsonNodeFactory.instance.objectNode().put("ok", true);
        expected.set("input", payload.deepCopy());
        return expected;
    }
}

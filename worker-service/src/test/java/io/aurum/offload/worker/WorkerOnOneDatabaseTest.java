package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.OneDatabaseRedisTestResource;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The worker with broker and result backend in one database: outcome and acknowledgement in one step. */
@QuarkusTest
@WithTestResource(OneDatabaseRedisTestResource.class)
class WorkerOnOneDatabaseTest {

    private static final String TENANT = "initech";

    @Inject
    OffloadClient client;
    @Inject
    OffloadSettings settings;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void runsATaskAndAcknowledgesItsMessage() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("same", "database");

        String id = enqueue(HeavyComputeJob.NAME, payload);

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().get("input")).isEqualTo(payload);
        awaitTrue("the delivery acknowledged", () -> WorkerTasks.queueDrained(redis(), 0));
    }

    @Test
    void storesAFinalFailureAsADeadLetterAndAcknowledgesItsMessage() {
        String id = enqueue("fail", JsonNodeFactory.instance.objectNode().put("message", "quota exceeded"));

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.error()).isEqualTo(new TaskError("IllegalStateException", "quota exceeded"));
        assertThat(status.attempts()).isEqualTo(3);
        awaitTrue("the delivery acknowledged", () -> WorkerTasks.queueDrained(redis(), 0));
        assertThat(redis().command("ZRANGE", RedisKeys.dead(WorkerTasks.QUEUE), "0", "-1")).isEqualTo(id);
        assertThat(redis().command("HEXISTS", RedisKeys.deadEntries(WorkerTasks.QUEUE), id)).isEqualTo("1");
    }

    @Test
    void storesTheRecordWithATimeToLiveBesideTheQueue() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());
        awaitFinished(client, id, TENANT);

        long recordTtl = Long.parseLong(redis().command("PTTL", RedisKeys.task(id)));

        assertThat(recordTtl).isPositive().isLessThanOrEqualTo(settings.resultTtl().toMillis());
        assertThat(redis().command("GET", RedisKeys.gone(id))).isEqualTo(TENANT);
    }

    @Test
    void acknowledgesARedeliveredFinishedTaskWithoutRunningItAgain() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());
        awaitFinished(client, id, TENANT);
        awaitTrue("the first delivery acknowledged", () -> WorkerTasks.queueDrained(redis(), 0));

        redis().command("LPUSH", RedisKeys.pending(WorkerTasks.QUEUE), message(id, HeavyComputeJob.NAME, TENANT, "{}"));

        awaitTrue("the redelivery acknowledged", () -> WorkerTasks.queueDrained(redis(), 0));
        assertThat(redis().command("HGET", RedisKeys.task(id), "attempts")).isEqualTo("1");
        assertThat(redis().command("HGET", RedisKeys.task(id), "state")).isEqualTo("SUCCESS");
    }

    @Test
    void runsMessagesTakenInTheStepThatFinishedTheLastWhateverTheOrderOfTheirFields() {
        // One push of more messages than the worker has processors: the first ones go to processors blocked on the
        // queue, the rest are taken by the script that records an outcome, which reads the leading fields of a
        // message by pattern and decodes one of any other shape whole. Records are left to the worker to write.
        List<String> ids = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 4 * settings.worker().concurrency(); i++) {
            String id = new TaskIds().next();
            ids.add(id);
            String payload = "{\"i\":" + i + ",\"text\":\"quote \\\" and \\u00e9\"}";
            messages.add(i % 2 == 0 ? message(id, HeavyComputeJob.NAME, TENANT, payload)
                    : """
                    {"payload":%s,"tenant":"%s","created":%d,"queue":"%s","job":"%s","id":"%s"}"""
                            .formatted(payload, TENANT, System.currentTimeMillis(), WorkerTasks.QUEUE,
                                    HeavyComputeJob.NAME, id));
        }

        List<String> push = new ArrayList<>(List.of("LPUSH", RedisKeys.pending(WorkerTasks.QUEUE)));
        push.addAll(messages);
        redis().command(push.toArray(String[]::new));

        for (int i = 0; i < ids.size(); i++) {
            TaskStatus status = awaitFinished(client, ids.get(i), TENANT);
            assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
            assertThat(status.job()).isEqualTo(HeavyComputeJob.NAME);
            assertThat(status.attempts()).isEqualTo(1);
            assertThat(status.result().get("input").get("i").asInt()).isEqualTo(i);
            assertThat(status.result().get("input").get("text").asText()).isEqualTo("quote \" and \u00e9");
        }
        awaitTrue("every delivery acknowledged", () -> WorkerTasks.queueDrained(redis(), 0));
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }

    private static RedisServer redis() {
        return RedisTestResource.server();
    }
}

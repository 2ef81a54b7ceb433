package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static io.aurum.offload.worker.WorkerTasks.pushPending;
import static io.aurum.offload.worker.WorkerTasks.recordField;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** At-least-once delivery: tasks of a dead worker come back, and a redelivered finished task is not run again. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerRedeliveryTest {

    private static final String TENANT = "acme";
    private static final String DEAD_WORKER = "killed-host-0badf00d";

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void requeuesTasksOfAWorkerWhoseHeartbeatExpired() {
        String id = new TaskIds().next();
        redis().command("LPUSH", RedisKeys.active(WorkerTasks.QUEUE, DEAD_WORKER),
                message(id, HeavyComputeJob.NAME, TENANT, "{\"rescued\":true}"));

        redis().command("ZADD", RedisKeys.workers(WorkerTasks.QUEUE), "1", DEAD_WORKER);

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().get("input").get("rescued").asBoolean()).isTrue();
        assertThat(redis().command("EXISTS", RedisKeys.active(WorkerTasks.QUEUE, DEAD_WORKER))).isEqualTo("0");
    }

    @Test
    void leavesTasksOfAWorkerWithALiveHeartbeatAlone() {
        String id = new TaskIds().next();
        String held = message(id, HeavyComputeJob.NAME, TENANT, "{}");
        redis().command("LPUSH", RedisKeys.active(WorkerTasks.QUEUE, DEAD_WORKER), held);
        long farFuture = System.currentTimeMillis() + 3_600_000;
        redis().command("ZADD", RedisKeys.workers(WorkerTasks.QUEUE), Long.toString(farFuture), DEAD_WORKER);

        String probe = client.runJobAsync(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode(),
                EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
        awaitFinished(client, probe, TENANT);
        awaitSweeps();

        assertThat(redis().command("LRANGE", RedisKeys.active(WorkerTasks.QUEUE, DEAD_WORKER), "0", "-1"))
                .isEqualTo(held);
        assertThat(redis().command("-n", "1", "EXISTS", RedisKeys.task(id))).isEqualTo("0");
    }

    @Test
    void acknowledgesARedeliveredFinishedTaskWithoutRunningItAgain() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("once", 1);
        String id = client.runJobAsync(HeavyComputeJob.NAME, payload, EnqueueOptions.forTenant(TENANT))
                .await().atMost(WorkerTasks.WAIT);
        TaskStatus first = awaitFinished(client, id, TENANT);
        awaitTrue("the first delivery acknowledged", WorkerTasks::queueDrained);
        String attempts = recordField(id, "attempts");
        String finished = recordField(id, "finished");

        pushPending(message(id, HeavyComputeJob.NAME, TENANT, "{\"once\":1}"));

        awaitTrue("the redelivery acknowledged", WorkerTasks::queueDrained);
        assertThat(first.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(recordField(id, "attempts")).isEqualTo(attempts).isEqualTo("1");
        assertThat(recordField(id, "finished")).isEqualTo(finished);
        assertThat(recordField(id, "state")).isEqualTo("SUCCESS");
        assertThat(WorkerTasks.deadLetterCount()).isZero();
    }

    /** Long enough for several sweeps (every 500 ms in the test settings) to have run. */
    private static void awaitSweeps() {
        try {
            Thread.sleep(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

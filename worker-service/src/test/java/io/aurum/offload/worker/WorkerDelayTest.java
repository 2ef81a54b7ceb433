package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.redis;
import static io.aurum.offload.worker.WorkerTasks.status;
import static io.aurum.offload.worker.WorkerTasks.watchUntilFinished;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A task enqueued with {@code not_before} waits in Redis's delayed set, not in the queue, until it is due. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerDelayTest {

    private static final String TENANT = "acme";

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void keepsADelayedTaskPendingInTheDelayedSetUntilItIsDue() {
        Instant notBefore = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);

        String id = enqueueNotBefore(notBefore);

        TaskStatus waiting = status(client, id, TENANT);
        assertThat(waiting.state()).isEqualTo(TaskState.PENDING);
        assertThat(waiting.notBefore()).isEqualTo(notBefore);
        assertThat(redis().command("ZCARD", RedisKeys.delayed(WorkerTasks.QUEUE))).isEqualTo("1");
        assertThat(redis().command("LLEN", RedisKeys.pending(WorkerTasks.QUEUE))).isEqualTo("0");
        WorkerTasks.awaitFinished(client, id, TENANT);
    }

    @Test
    void runsADelayedTaskOnceDueAndNeverBefore() {
        Instant notBefore = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String id = enqueueNotBefore(notBefore);

        List<TaskStatus> seen = watchUntilFinished(client, id, TENANT);

        TaskStatus done = seen.getLast();
        assertThat(done.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.startedAt()).isAfterOrEqualTo(notBefore);
        assertThat(seen).filteredOn(status -> status.state() != TaskState.PENDING)
                .allSatisfy(status -> assertThat(status.startedAt()).isAfterOrEqualTo(notBefore));
        assertThat(redis().command("ZCARD", RedisKeys.delayed(WorkerTasks.QUEUE))).isEqualTo("0");
    }

    @Test
    void runsATaskWhoseNotBeforeHasPassedAtOnce() {
        String id = enqueueNotBefore(Instant.now().minusSeconds(60));

        TaskStatus done = WorkerTasks.awaitFinished(client, id, TENANT);

        assertThat(done.state()).isEqualTo(TaskState.SUCCESS);
    }

    private String enqueueNotBefore(Instant notBefore) {
        return client.runJobAsync(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode().put("later", true),
                EnqueueOptions.forTenant(TENANT).notBefore(notBefore)).await().atMost(WorkerTasks.WAIT);
    }
}

package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.QUEUE;
import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitState;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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

/**
 * A message stranded in this live worker's own active list (a blocking take Redis carried out after the worker had
 * given up on it) is put back and run; one a processor is running stays where it is. Heartbeats come every 500 ms
 * in the tests' application.properties, and orphans are reclaimed at the second heartbeat that sees them.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerOrphanReclaimTest {

    private static final String TENANT = "acme";
    /** Five heartbeats: long enough for a wrongly reclaimed task to have left the active list. */
    private static final Duration SEVERAL_HEARTBEATS = Duration.ofMillis(2_500);

    @Inject
    OffloadClient client;
    @Inject
    WorkerIdentity identity;

    private String running;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @AfterEach
    void stopTheLongTask() {
        if (running != null) {
            client.cancel(running, TENANT).await().atMost(WorkerTasks.WAIT);
            awaitFinished(client, running, TENANT);
        }
    }

    @Test
    void runsATaskStrandedInThisWorkersOwnActiveList() {
        String id = new TaskIds().next();

        redis().command("LPUSH", ownActiveList(), message(id, HeavyComputeJob.NAME, TENANT, "{\"stranded\":true}"));

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().get("input").get("stranded").asBoolean()).isTrue();
        awaitTrue("the stranded message to leave the active list",
                () -> "0".equals(redis().command("LLEN", ownActiveList())));
    }

    @Test
    void leavesATaskItsProcessorIsRunningInTheActiveListAcrossHeartbeats() {
        running = client.runJobAsync("sleep", JsonNodeFactory.instance.objectNode().put("ms", 60_000),
                EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
        awaitState(client, running, TENANT, TaskState.STARTED);

        WorkerTasks.pause(SEVERAL_HEARTBEATS);

        assertThat(redis().command("LRANGE", ownActiveList(), "0", "-1")).contains(running);
        assertThat(redis().command("LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
        TaskStatus status = WorkerTasks.status(client, running, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.STARTED);
        assertThat(status.attempts()).isEqualTo(1);
    }

    private String ownActiveList() {
        return RedisKeys.active(QUEUE, identity.id());
    }
}

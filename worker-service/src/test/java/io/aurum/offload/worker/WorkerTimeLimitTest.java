package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Time limits: a job past its hard limit fails whatever it does, one that stops when interrupted at its soft limit
 * fails too; neither is retried, and the worker goes on taking tasks.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerTimeLimitTest {

    private static final String TENANT = "acme";

    /** The demo job {@code stuck}'s hard limit; its soft limit is 1 s and it ignores interruption. */
    private static final Duration STUCK_HARD_LIMIT = Duration.ofSeconds(2);

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
        WorkerTestJobs.POLITE_SAW_STOP_REQUEST.set(false);
    }

    @Test
    void failsAJobThatIgnoresInterruptionAtItsHardLimit() {
        String id = enqueue("stuck", JsonNodeFactory.instance.objectNode());

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.error().type()).isEqualTo("TimeLimitExceeded");
        assertThat(status.error().message()).contains("hard time limit");
        assertThat(status.attempts()).isEqualTo(1);
        Duration ran = Duration.between(status.startedAt(), status.finishedAt());
        assertThat(ran).isGreaterThanOrEqualTo(STUCK_HARD_LIMIT.minusMillis(100)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void takesTheNextTaskAfterAHardTimeLimit() {
        String stuck = enqueue("stuck", JsonNodeFactory.instance.objectNode());
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("after", "stuck");

        String next = enqueue(HeavyComputeJob.NAME, payload);

        assertThat(awaitFinished(client, stuck, TENANT).state()).isEqualTo(TaskState.FAILURE);
        TaskStatus status = awaitFinished(client, next, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result().get("input")).isEqualTo(payload);
    }

    @Test
    void failsAJobThatStopsWhenInterruptedAtItsSoftLimit() {
        String id = enqueue(WorkerTestJobs.POLITE, JsonNodeFactory.instance.objectNode());

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.error().type()).isEqualTo("TimeLimitExceeded");
        assertThat(status.error().message()).contains("soft time limit");
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(WorkerTestJobs.POLITE_SAW_STOP_REQUEST).isTrue();
        assertThat(Duration.between(status.startedAt(), status.finishedAt())).isLessThan(Duration.ofSeconds(20));
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }
}

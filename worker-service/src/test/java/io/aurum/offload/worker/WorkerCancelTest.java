package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitState;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.recordField;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Cancellation through {@link OffloadClient#cancel} with a worker running: queued, running, finished, foreign. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerCancelTest {

    private static final String TENANT = "acme";

    @Inject
    OffloadClient client;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void revokesAQueuedTaskSoThatItNeverRuns() {
        String blocker = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 1_500));
        awaitState(client, blocker, TENANT, TaskState.STARTED);
        String queued = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());

        CancelOutcome outcome = client.cancel(queued, TENANT).await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isInstanceOf(CancelOutcome.Revoked.class);
        awaitFinished(client, blocker, TENANT);
        String probe = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());
        assertThat(awaitFinished(client, probe, TENANT).state()).isEqualTo(TaskState.SUCCESS);
        awaitTrue("every delivery acknowledged", WorkerTasks::queueDrained);
        TaskStatus status = WorkerTasks.status(client, queued, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.attempts()).isZero();
        assertThat(status.startedAt()).isNull();
        assertThat(status.result()).isNull();
    }

    @Test
    void interruptsARunningTaskAndEndsItRevoked() {
        String id = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 60_000));
        awaitState(client, id, TENANT, TaskState.STARTED);

        CancelOutcome outcome = client.cancel(id, TENANT).await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isInstanceOf(CancelOutcome.Requested.class);
        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.error()).isNull();
        assertThat(Duration.between(status.startedAt(), status.finishedAt())).isLessThan(Duration.ofMinutes(1));
        awaitTrue("the delivery acknowledged", WorkerTasks::queueDrained);
        assertThat(WorkerTasks.deadLetterCount()).isZero();
        assertThat(redis().command("ZCARD", RedisKeys.delayed(WorkerTasks.QUEUE)))
                .isEqualTo("0");
    }

    @Test
    void revokesATaskWaitingForItsRetrySoThatItIsNotRunAgain() {
        String id = enqueue("flaky", JsonNodeFactory.instance.objectNode().put("failures", 3));
        TaskStatus retrying = awaitState(client, id, TENANT, TaskState.RETRY);

        CancelOutcome outcome = client.cancel(id, TENANT).await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isInstanceOf(CancelOutcome.Revoked.class);
        awaitTrue("the delayed retry taken and dropped", () -> "0".equals(
                redis().command("ZCARD", RedisKeys.delayed(WorkerTasks.QUEUE))) && WorkerTasks.queueDrained());
        TaskStatus status = WorkerTasks.status(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.attempts()).isEqualTo(retrying.attempts());
        assertThat(status.retryAt()).isNull();
    }

    @Test
    void dropsARevokedDelayedTaskWhenItBecomesDue() {
        EnqueueOptions inASecond = EnqueueOptions.forTenant(TENANT).notBefore(Instant.now().plusSeconds(1));
        String id = client.runJobAsync(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode(), inASecond)
                .await().atMost(WorkerTasks.WAIT);

        CancelOutcome outcome = client.cancel(id, TENANT).await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isInstanceOf(CancelOutcome.Revoked.class);
        awaitTrue("the delayed message promoted and dropped", () -> "0".equals(
                redis().command("ZCARD", RedisKeys.delayed(WorkerTasks.QUEUE))) && WorkerTasks.queueDrained());
        TaskStatus status = WorkerTasks.status(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.attempts()).isZero();
    }

    @Test
    void answersAlreadyFinishedForATaskThatSucceeded() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());
        awaitFinished(client, id, TENANT);

        CancelOutcome outcome = client.cancel(id, TENANT).await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CancelOutcome.AlreadyFinished.class,
                finished -> assertThat(finished.status().state()).isEqualTo(TaskState.SUCCESS));
        assertThat(recordField(id, "cancel")).isEmpty();
    }

    @Test
    void answersUnknownToAnotherTenantAndLetsTheTaskRun() {
        String id = enqueue(HeavyComputeJob.NAME, JsonNodeFactory.instance.objectNode());

        CancelOutcome outcome = client.cancel(id, "globex").await().atMost(WorkerTasks.WAIT);

        assertThat(outcome).isEqualTo(new CancelOutcome.Unknown(id));
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.SUCCESS);
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }
}

package io.aurum.offload.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.job.JobPerformer;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.TestJobs;

/** The stub in eager mode runs each job in this process, like Celery's eager mode. */
class EagerStubOffloadClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StubOffloadClient client;

    /** Sleeps for a minute unless interrupted. */
    private static final String NAP = "nap";

    /** Sleeps for 300 ms. */
    private static final String SHORT_NAP = "short_nap";

    @BeforeEach
    void createClient() {
        JobRegistry registry = TestJobs.registry();
        registry.registerJob(NAP, (payload, context) -> {
            Thread.sleep(Duration.ofMinutes(1));
            return payload;
        });
        registry.registerJob(SHORT_NAP, (payload, context) -> {
            Thread.sleep(Duration.ofMillis(300));
            return payload;
        });
        client = new StubOffloadClient(registry, new JobPerformer(registry),
                OffloadSettingsFixture.settings(Map.of("aurum.api.offload.stub.eager", "true")));
    }

    @Test
    void storesTheResultOfAJobThatSucceeds() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("word", "café");

        String id = client.runJobAsync(TestJobs.ECHO, payload, EnqueueOptions.forTenant("acme")).await().atMost(WAIT);

        TaskStatus status = awaitFinished(id, "acme");
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.result()).isEqualTo(payload);
        assertThat(status.error()).isNull();
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.startedAt()).isNotNull();
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
    }

    @Test
    void storesTheTypeAndMessageOfAJobThatThrows() {
        String id = client.runJobAsync(TestJobs.EXPLODE, JsonNodeFactory.instance.objectNode(),
                EnqueueOptions.forTenant("acme")).await().atMost(WAIT);

        TaskStatus status = awaitFinished(id, "acme");
        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.error()).isEqualTo(new TaskError("IllegalStateException", TestJobs.EXPLODE_MESSAGE));
        assertThat(status.result()).isNull();
    }

    @Test
    void interruptsARunningTaskOnCancelAndEndsItRevoked() {
        String id = client.runJobAsync(NAP, JsonNodeFactory.instance.objectNode(), EnqueueOptions.forTenant("acme"))
                .await().atMost(WAIT);
        awaitState(id, "acme", TaskState.STARTED);

        CancelOutcome outcome = client.cancel(id, "acme").await().atMost(WAIT);

        assertThat(outcome).isInstanceOf(CancelOutcome.Requested.class);
        TaskStatus status = awaitFinished(id, "acme");
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.error()).isNull();
    }

    @Test
    void answersAlreadyFinishedWhenCancellingATaskThatSucceeded() {
        String id = client.runJobAsync(TestJobs.ECHO, JsonNodeFactory.instance.objectNode(),
                EnqueueOptions.forTenant("acme")).await().atMost(WAIT);
        awaitFinished(id, "acme");

        CancelOutcome outcome = client.cancel(id, "acme").await().atMost(WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CancelOutcome.AlreadyFinished.class,
                finished -> assertThat(finished.status().state()).isEqualTo(TaskState.SUCCESS));
    }

    @Test
    void answersAWaitingReadAsSoonAsItsJobReturns() {
        String id = client.runJobAsync(SHORT_NAP, JsonNodeFactory.instance.objectNode(),
                EnqueueOptions.forTenant("acme")).await().atMost(WAIT);

        TaskLookup lookup = client.fetchJobResult(id, "acme", Duration.ofSeconds(60)).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.SUCCESS));
    }

    @Test
    void namesItselfEager() {
        assertThat(client.backendName()).isEqualTo("stub-eager");
    }

    private TaskStatus awaitFinished(String id, String tenant) {
        return awaitStatus(id, tenant, status -> status.state().isFinished());
    }

    private TaskStatus awaitState(String id, String tenant, TaskState state) {
        return awaitStatus(id, tenant, status -> status.state() == state);
    }

    private TaskStatus awaitStatus(String id, String tenant, Predicate<TaskStatus> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TaskStatus status = null;
        while (System.nanoTime() < deadline) {
            TaskLookup lookup = client.fetchJobResult(id, tenant).await().atMost(WAIT);
            status = ((TaskLookup.Found) lookup).status();
            if (condition.test(status)) {
                return status;
            }
            pause();
        }
        throw new AssertionError("task " + id + " not as expected within " + WAIT + "; last seen " + status);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a task", e);
        }
    }
}

package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.recordField;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static io.aurum.offload.worker.WorkerTasks.watchUntilFinished;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.DeadLetter;
import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.redis.RedisDeadLetters;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Retries by each job's policy: RETRY with its time and cause while waiting, then SUCCESS or FAILURE for good. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerRetryTest {

    private static final String TENANT = "acme";

    @Inject
    OffloadClient client;
    @Inject
    RedisDeadLetters deadLetters;

    @BeforeEach
    void emptyRedis() {
        redis().command("FLUSHALL");
    }

    @Test
    void retriesAFlakyTaskThroughRetryToSuccess() {
        String id = enqueue("flaky", JsonNodeFactory.instance.objectNode().put("failures", 3));

        List<TaskStatus> seen = watchUntilFinished(client, id, TENANT);

        List<TaskState> states = collapsed(seen);
        assertThat(states).as("states seen").contains(TaskState.RETRY).doesNotContain(TaskState.FAILURE)
                .endsWith(TaskState.SUCCESS);
        assertThat(states.subList(1, states.size())).as("states seen after the first")
                .doesNotContain(TaskState.PENDING);
        assertThat(states.subList(0, states.size() - 1)).as("states seen before the last")
                .doesNotContain(TaskState.SUCCESS);
        TaskStatus done = seen.getLast();
        assertThat(done.attempts()).isEqualTo(4);
        assertThat(done.result().get("succeeded_on").asLong()).isEqualTo(4);
        assertThat(recordField(id, "failures")).isEqualTo("3");
        assertThat(done.error()).isNull();
        assertThat(done.retryAt()).isNull();
    }

    @Test
    void showsTheRetryTimeAndTheLastErrorWhileATaskWaitsForItsRetry() {
        String id = enqueue("flaky", JsonNodeFactory.instance.objectNode().put("failures", 3));

        TaskStatus retrying = WorkerTasks.awaitState(client, id, TENANT, TaskState.RETRY);

        assertThat(retrying.retryAt()).isNotNull().isAfterOrEqualTo(retrying.startedAt());
        assertThat(retrying.error()).isEqualTo(
                new TaskError("IllegalStateException", "flaky failure on attempt " + retrying.attempts()));
        assertThat(retrying.result()).isNull();
        assertThat(awaitFinished(client, id, TENANT).state()).isEqualTo(TaskState.SUCCESS);
    }

    @Test
    void failsATaskForGoodAfterItsLastAttemptAndKeepsItAsADeadLetter() {
        String id = enqueue("fail", JsonNodeFactory.instance.objectNode().put("message", "quota exceeded"));

        TaskStatus status = awaitFinished(client, id, TENANT);

        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.attempts()).isEqualTo(3);
        WorkerTasks.awaitDeadLetter(id);
        List<DeadLetter> letters = deadLetters.list(WorkerTasks.QUEUE, 10).await().atMost(WorkerTasks.WAIT);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.taskId()).isEqualTo(id);
            assertThat(letter.job()).isEqualTo("fail");
            assertThat(letter.tenant()).isEqualTo(TENANT);
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.error()).isEqualTo(new TaskError("IllegalStateException", "quota exceeded"));
            assertThat(letter.failedAt()).isEqualTo(status.finishedAt());
        });
    }

    @Test
    void neverRetriesAPermanentFailure() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("message", "no such iban");
        String id = enqueue(WorkerTestJobs.REFUSE, payload);

        List<TaskStatus> seen = watchUntilFinished(client, id, TENANT);

        TaskStatus status = seen.getLast();
        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.attempts()).isEqualTo(1);
        assertThat(status.error()).isEqualTo(new TaskError("PermanentFailure", "no such iban"));
        assertThat(collapsed(seen)).doesNotContain(TaskState.RETRY);
        WorkerTasks.awaitDeadLetter(id);
        assertThat(deadLetters.count(WorkerTasks.QUEUE).await().atMost(WorkerTasks.WAIT)).isEqualTo(1);
    }

    /**
     * The states seen, each run of repeats folded into one. Polling may miss a state held briefly (a STARTED
     * attempt that fails at once), so only the order of what was seen can be checked, not each move.
     */
    private static List<TaskState> collapsed(List<TaskStatus> seen) {
        List<TaskState> states = new ArrayList<>();
        for (TaskStatus status : seen) {
            if (states.isEmpty() || states.getLast() != status.state()) {
                states.add(status.state());
            }
        }
        return states;
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }
}

package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitState;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.pushPending;
import static io.aurum.offload.worker.WorkerTasks.recordField;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static io.aurum.offload.worker.WorkerTasks.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.client.DeadLetter;
import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.redis.RedisDeadLetters;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** What operators do with dead letters: requeue a failed task to run again, delete one, and meet unreadable data. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerDeadLetterTest {

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
    void keepsTheErrorOfTheLastAttemptInTheDeadLetter() {
        String id = deadFlakyTask();

        List<DeadLetter> letters = deadLetters.list(WorkerTasks.QUEUE, 10).await().atMost(WorkerTasks.WAIT);

        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.taskId()).isEqualTo(id);
            assertThat(letter.attempts()).isEqualTo(5);
            assertThat(letter.error().message()).isEqualTo("flaky failure on attempt 5");
        });
    }

    @Test
    void requeuesADeadTaskAsPendingWithItsFailuresReset() {
        String id = deadFlakyTask();
        occupyTheOnlyProcessor();

        boolean requeued = deadLetters.requeue(WorkerTasks.QUEUE, id).await().atMost(WorkerTasks.WAIT);

        assertThat(requeued).isTrue();
        assertThat(recordField(id, "state")).isEqualTo("PENDING");
        assertThat(recordField(id, "failures")).isEqualTo("0");
        assertThat(recordField(id, "error_type")).isEmpty();
        assertThat(redis().command("LRANGE", RedisKeys.pending(WorkerTasks.QUEUE), "0", "-1")).contains(id);
        assertThat(deadLetters.count(WorkerTasks.QUEUE).await().atMost(WorkerTasks.WAIT)).isZero();
        awaitFinished(client, id, TENANT);
    }

    @Test
    void runsARequeuedDeadTaskAgain() {
        String id = deadFlakyTask();

        deadLetters.requeue(WorkerTasks.QUEUE, id).await().atMost(WorkerTasks.WAIT);

        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(status.attempts()).isEqualTo(6);
        assertThat(status.result().get("succeeded_on").asLong()).isEqualTo(6);
        assertThat(deadLetters.count(WorkerTasks.QUEUE).await().atMost(WorkerTasks.WAIT)).isZero();
    }

    @Test
    void deletesADeadLetterAndLeavesTheTaskFailed() {
        String id = enqueue("fail", JsonNodeFactory.instance.objectNode().put("message", "gone for good"));
        awaitFinished(client, id, TENANT);
        WorkerTasks.awaitDeadLetter(id);

        boolean deleted = deadLetters.delete(WorkerTasks.QUEUE, id).await().atMost(WorkerTasks.WAIT);

        assertThat(deleted).isTrue();
        assertThat(deadLetters.list(WorkerTasks.QUEUE, 10).await().atMost(WorkerTasks.WAIT)).isEmpty();
        assertThat(redis().command("HLEN", RedisKeys.deadEntries(WorkerTasks.QUEUE))).isEqualTo("0");
        assertThat(deadLetters.delete(WorkerTasks.QUEUE, id).await().atMost(WorkerTasks.WAIT)).isFalse();
        assertThat(status(client, id, TENANT).state()).isEqualTo(TaskState.FAILURE);
    }

    @Test
    void answersFalseWhenRequeueingATaskThatIsNotADeadLetter() {
        String id = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 1));
        awaitFinished(client, id, TENANT);

        boolean requeued = deadLetters.requeue(WorkerTasks.QUEUE, id).await().atMost(WorkerTasks.WAIT);

        assertThat(requeued).isFalse();
        assertThat(recordField(id, "state")).isEqualTo("SUCCESS");
    }

    @Test
    void listsUnreadableDataAsADeadLetterThatCannotBeRequeued() {
        pushPending("{\"id\": \"half a task\"");
        awaitTrue("the dead letter", () -> WorkerTasks.deadLetterCount() == 1);

        List<DeadLetter> letters = deadLetters.list(WorkerTasks.QUEUE, 10).await().atMost(WorkerTasks.WAIT);
        DeadLetter unreadable = letters.getFirst();
        boolean requeued = deadLetters.requeue(WorkerTasks.QUEUE, unreadable.taskId()).await().atMost(WorkerTasks.WAIT);

        assertThat(letters).hasSize(1);
        assertThat(unreadable.taskId()).startsWith("unreadable-");
        assertThat(unreadable.job()).isEmpty();
        assertThat(unreadable.error().type()).isEqualTo("UnreadableMessage");
        assertThat(requeued).isFalse();
        assertThat(WorkerTasks.deadLetterCount()).isEqualTo(1);
        assertThat(redis().command("LLEN", RedisKeys.pending(WorkerTasks.QUEUE))).isEqualTo("0");
    }

    /** A {@code flaky} task that failed all five of its attempts; its sixth would succeed. */
    private String deadFlakyTask() {
        String id = enqueue("flaky", JsonNodeFactory.instance.objectNode().put("failures", 5));
        TaskStatus status = awaitFinished(client, id, TENANT);
        assertThat(status.state()).isEqualTo(TaskState.FAILURE);
        assertThat(status.attempts()).isEqualTo(5);
        WorkerTasks.awaitDeadLetter(id);
        return id;
    }

    /** The test worker has one processor: a long {@code sleep} keeps it from taking anything else meanwhile. */
    private void occupyTheOnlyProcessor() {
        String blocker = enqueue("sleep", JsonNodeFactory.instance.objectNode().put("ms", 5_000));
        awaitState(client, blocker, TENANT, TaskState.STARTED);
    }

    private String enqueue(String job, ObjectNode payload) {
        return client.runJobAsync(job, payload, EnqueueOptions.forTenant(TENANT)).await().atMost(WorkerTasks.WAIT);
    }
}

package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Completions are fenced by attempt: a worker that stalled past its heartbeat while its task was handed to another
 * (two starts of one task) cannot store its outcome over the newer attempt's. Driven through the recorder's
 * scripts against a private Redis, in both layouts: {@code true} when broker and results are one database.
 * Repeating the very same call (a retry after its reply was lost) answers and settles as the first one did.
 */
class TaskRecorderFencingTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static RedisServer server() {
        return REDIS.server();
    }

    private static final String QUEUE = "default";
    /**
     * A broker database no one looks at: a recorder writing its settle there stands for one whose settle never
     * happened (its reply lost after the outcome was stored), while its outcome lands in the real result database.
     */
    private static final int LOST_BROKER_DB = 2;

    private final WorkerIdentity identity = new WorkerIdentity();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dropsTheSuccessOfAStaleAttemptWhileTheNewerOneRuns(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        long newer = recorder.start(message, now()).attempt();

        TaskRecorder.Recorded recorded = recorder.recordAndSettle(delivery(message), message, stale,
                new Verdict.Succeeded("{\"stale\":true}"), now());

        assertThat(recorded).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(record(oneDatabase, message, "state")).isEqualTo("STARTED");
        assertThat(record(oneDatabase, message, "attempts")).isEqualTo(Long.toString(newer)).isEqualTo("2");
        assertThat(record(oneDatabase, message, "result")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void letsTheNewerAttemptStoreItsOutcomeAfterAStaleOneWasDropped(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        long newer = recorder.start(message, now()).attempt();
        recorder.recordAndSettle(delivery(message), message, stale, new Verdict.Succeeded("{\"stale\":true}"), now());

        TaskRecorder.Recorded recorded = recorder.recordAndSettle(delivery(message), message, newer,
                new Verdict.Succeeded("{\"newer\":true}"), now());

        assertThat(recorded).isEqualTo(TaskRecorder.Recorded.SUCCESS);
        assertThat(record(oneDatabase, message, "result")).isEqualTo("{\"newer\":true}");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void keepsTheNewerOutcomeWhenAStaleAttemptFailsAfterIt(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        long newer = recorder.start(message, now()).attempt();
        recorder.recordAndSettle(delivery(message), message, newer, new Verdict.Succeeded("{\"newer\":true}"), now());

        TaskRecorder.Recorded recorded = recorder.recordAndSettle(delivery(message), message, stale,
                new Verdict.Failed(new TaskError("IllegalStateException", "woke up late")), now());

        assertThat(recorded).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(record(oneDatabase, message, "state")).isEqualTo("SUCCESS");
        assertThat(record(oneDatabase, message, "result")).isEqualTo("{\"newer\":true}");
        assertThat(record(oneDatabase, message, "error_type")).isEmpty();
        assertThat(broker("ZCARD", RedisKeys.dead(QUEUE))).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void neitherDelaysNorDeadLettersTheMessageOfAStaleAttempt(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        recorder.start(message, now());

        TaskRecorder.Recorded retried = recorder.recordAndSettle(delivery(message), message, stale,
                new Verdict.Retry(new TaskError("IOException", "stale"), now() + 1_000), now());
        TaskRecorder.Recorded failed = recorder.recordAndSettle(delivery(message), message, stale,
                new Verdict.Failed(new TaskError("IOException", "stale")), now());

        assertThat(retried).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(failed).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(broker("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("0");
        assertThat(broker("ZCARD", RedisKeys.dead(QUEUE))).isEqualTo("0");
        assertThat(record(oneDatabase, message, "failures")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ignoresProgressReportedByAStaleAttempt(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        long newer = recorder.start(message, now()).attempt();
        recorder.reportProgress(message.id(), newer, JsonNodeFactory.instance.objectNode().put("done", 1));

        recorder.reportProgress(message.id(), stale, JsonNodeFactory.instance.objectNode().put("done", 99));

        assertThat(record(oneDatabase, message, "progress")).isEqualTo("{\"done\":1}");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refusesToStartATaskThatFinished(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long attempt = recorder.start(message, now()).attempt();
        recorder.recordAndSettle(delivery(message), message, attempt, new Verdict.Succeeded("{}"), now());

        TaskRecorder.Start again = recorder.start(message, now());

        assertThat(again.skip()).isTrue();
        assertThat(record(oneDatabase, message, "attempts")).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void revokesInsteadOfStartingATaskWhoseCancelWasRequested(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        server().command(resultDb(oneDatabase), "HSET", RedisKeys.task(message.id()), "job", message.job(), "queue",
                QUEUE, "tenant", "acme", "created", "1", "state", "PENDING", "attempts", "0", "cancel", "1");

        TaskRecorder.Start start = recorder.start(message, now());

        assertThat(start.skip()).isTrue();
        assertThat(record(oneDatabase, message, "state")).isEqualTo("REVOKED");
        assertThat(record(oneDatabase, message, "attempts")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersARepeatedRetryAsTheFirstAndParksTheMessageOnce(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        long attempt = recorder.start(message, now()).attempt();
        Verdict retry = new Verdict.Retry(new TaskError("IOException", "flaky"), now() + 60_000);
        long finishedAt = now();

        TaskRecorder.Recorded first = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);
        TaskRecorder.Recorded again = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);

        assertThat(first).isEqualTo(TaskRecorder.Recorded.RETRY);
        assertThat(again).isEqualTo(TaskRecorder.Recorded.RETRY);
        assertThat(broker("ZRANGE", RedisKeys.delayed(QUEUE), "0", "-1")).isEqualTo(delivery.raw().toString());
        assertThat(broker("LLEN", activeList())).isEqualTo("0");
        assertThat(record(oneDatabase, message, "failures")).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersARepeatedFinalFailureAsTheFirstAndDeadLettersTheTaskOnce(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        long attempt = recorder.start(message, now()).attempt();
        Verdict failed = new Verdict.Failed(new TaskError("IllegalStateException", "broken for good"));
        long finishedAt = now();

        TaskRecorder.Recorded first = recorder.recordAndSettle(delivery, message, attempt, failed, finishedAt);
        TaskRecorder.Recorded again = recorder.recordAndSettle(delivery, message, attempt, failed, finishedAt);

        assertThat(first).isEqualTo(TaskRecorder.Recorded.FAILURE);
        assertThat(again).isEqualTo(TaskRecorder.Recorded.FAILURE);
        assertThat(broker("ZRANGE", RedisKeys.dead(QUEUE), "0", "-1")).isEqualTo(message.id());
        assertThat(broker("HLEN", RedisKeys.deadEntries(QUEUE))).isEqualTo("1");
        assertThat(broker("LLEN", activeList())).isEqualTo("0");
        assertThat(record(oneDatabase, message, "failures")).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersARepeatedFailureOfACancelledTaskAsRevokedLikeTheFirst(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        long attempt = recorder.start(message, now()).attempt();
        server().command(resultDb(oneDatabase), "HSET", RedisKeys.task(message.id()), "cancel", "1");
        Verdict retry = new Verdict.Retry(new TaskError("InterruptedException", "cancelled"), now() + 60_000);
        long finishedAt = now();

        TaskRecorder.Recorded first = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);
        TaskRecorder.Recorded again = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);

        assertThat(first).isEqualTo(TaskRecorder.Recorded.REVOKED);
        assertThat(again).isEqualTo(TaskRecorder.Recorded.REVOKED);
        assertThat(broker("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("0");
        assertThat(broker("LLEN", activeList())).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void doesNotParkARepeatedRetryAgainOnceItsMessageWasPromoted(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        long attempt = recorder.start(message, now()).attempt();
        Verdict retry = new Verdict.Retry(new TaskError("IOException", "flaky"), now() + 60_000);
        long finishedAt = now();
        recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);
        broker("ZREM", RedisKeys.delayed(QUEUE), delivery.raw().toString());
        broker("RPUSH", RedisKeys.pending(QUEUE), delivery.raw().toString());

        TaskRecorder.Recorded again = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);

        assertThat(again).isEqualTo(TaskRecorder.Recorded.RETRY);
        assertThat(broker("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("0");
        assertThat(broker("LRANGE", RedisKeys.pending(QUEUE), "0", "-1")).isEqualTo(delivery.raw().toString());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fencesARepeatedRetryOnceTheTasksNextAttemptStarted(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        long attempt = recorder.start(message, now()).attempt();
        Verdict retry = new Verdict.Retry(new TaskError("IOException", "flaky"), now() + 60_000);
        long finishedAt = now();
        recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);
        broker("DEL", RedisKeys.delayed(QUEUE));
        recorder.start(message, now());

        TaskRecorder.Recorded again = recorder.recordAndSettle(delivery, message, attempt, retry, finishedAt);

        assertThat(again).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(broker("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("0");
        assertThat(record(oneDatabase, message, "state")).isEqualTo("STARTED");
        assertThat(record(oneDatabase, message, "attempts")).isEqualTo("2");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fencesTheSameFailureFromAStaleAttemptAfterTheNewerOneFailed(boolean oneDatabase) {
        TaskRecorder recorder = recorder(oneDatabase);
        TaskMessage message = message();
        long stale = recorder.start(message, now()).attempt();
        long newer = recorder.start(message, now()).attempt();
        Verdict failed = new Verdict.Failed(new TaskError("IllegalStateException", "broken for good"));
        long finishedAt = now();
        recorder.recordAndSettle(delivery(message), message, newer, failed, finishedAt);

        TaskRecorder.Recorded recorded = recorder.recordAndSettle(delivery(message), message, stale, failed,
                finishedAt);

        assertThat(recorded).isEqualTo(TaskRecorder.Recorded.FENCED);
        assertThat(broker("ZCARD", RedisKeys.dead(QUEUE))).isEqualTo("1");
        assertThat(record(oneDatabase, message, "failures")).isEqualTo("1");
    }

    @Test
    void parksARetryWhoseFirstSettleWasLostWhenTheCallIsRepeated() {
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        TaskRecorder lostSettle = recorder(LOST_BROKER_DB, 1);
        long attempt = lostSettle.start(message, now()).attempt();
        Verdict retry = new Verdict.Retry(new TaskError("IOException", "flaky"), now() + 60_000);
        long finishedAt = now();
        lostSettle.recordAndSettle(delivery, message, attempt, retry, finishedAt);

        TaskRecorder.Recorded again = recorder(false).recordAndSettle(delivery, message, attempt, retry, finishedAt);

        assertThat(again).isEqualTo(TaskRecorder.Recorded.RETRY);
        assertThat(broker("ZRANGE", RedisKeys.delayed(QUEUE), "0", "-1")).isEqualTo(delivery.raw().toString());
        assertThat(broker("LLEN", activeList())).isEqualTo("0");
    }

    @Test
    void deadLettersAFailureWhoseFirstSettleWasLostWhenTheCallIsRepeated() {
        TaskMessage message = message();
        Delivery delivery = heldDelivery(message);
        TaskRecorder lostSettle = recorder(LOST_BROKER_DB, 1);
        long attempt = lostSettle.start(message, now()).attempt();
        Verdict failed = new Verdict.Failed(new TaskError("IllegalStateException", "broken for good"));
        long finishedAt = now();
        lostSettle.recordAndSettle(delivery, message, attempt, failed, finishedAt);

        TaskRecorder.Recorded again = recorder(false).recordAndSettle(delivery, message, attempt, failed, finishedAt);

        assertThat(again).isEqualTo(TaskRecorder.Recorded.FAILURE);
        assertThat(broker("ZRANGE", RedisKeys.dead(QUEUE), "0", "-1")).isEqualTo(message.id());
        assertThat(broker("LLEN", activeList())).isEqualTo("0");
    }

    private TaskRecorder recorder(boolean oneDatabase) {
        return recorder(0, resultDb(oneDatabase));
    }

    /** A recorder of this test's worker; every recorder of one test shares the worker's identity. */
    private TaskRecorder recorder(int brokerDb, int resultDb) {
        OffloadSettings settings = OffloadSettingsFixture.redis(server(), brokerDb, resultDb);
        RedisConnections connections = REDIS.connect(settings);
        ObjectMapper mapper = new ObjectMapper();
        return new TaskRecorder(connections, identity, new TaskFetcher(connections, identity, settings, mapper), mapper,
                settings);
    }

    /** The message's delivery, put in this worker's active list as a take would have. */
    private Delivery heldDelivery(TaskMessage message) {
        Delivery delivery = delivery(message);
        broker("LPUSH", activeList(), delivery.raw().toString());
        return delivery;
    }

    private String activeList() {
        return RedisKeys.active(QUEUE, identity.id());
    }

    private static int resultDb(boolean oneDatabase) {
        return oneDatabase ? 0 : 1;
    }

    private static TaskMessage message() {
        return new TaskMessage(new TaskIds().next(), "sleep", QUEUE, "acme", now(),
                JsonNodeFactory.instance.objectNode().put("ms", 1));
    }

    private static Delivery delivery(TaskMessage message) {
        return new Delivery(QUEUE, Buffer.buffer("{\"id\":\"" + message.id() + "\"}"));
    }

    private static String record(boolean oneDatabase, TaskMessage message, String field) {
        return server().command(resultDb(oneDatabase), "HGET", RedisKeys.task(message.id()), field);
    }

    private static String broker(String... command) {
        return server().command(0, command);
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}

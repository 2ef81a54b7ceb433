package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import io.aurum.offload.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Completions are fenced by attempt: a worker that stalled past its heartbeat while its task was handed to another
 * (two starts of one task) cannot store its outcome over the newer attempt's. Driven through the recorder's
 * scripts against a private Redis, in both layouts: {@code true} when broker and results are one database.
 */
class TaskRecorderFencingTest {

    private static final String QUEUE = "default";

    private static RedisServer server;
    private static Vertx vertx;

    private final List<RedisConnections> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        vertx.closeAndAwait();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        server.command("FLUSHALL");
    }

    @AfterEach
    void closeConnections() {
        for (RedisConnections connections : opened) {
            connections.broker().close();
            if (!connections.sameDatabase()) {
                connections.results().close();
            }
        }
    }

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
        server.command(resultDb(oneDatabase), "HSET", RedisKeys.task(message.id()), "job", message.job(), "queue",
                QUEUE, "tenant", "acme", "created", "1", "state", "PENDING", "attempts", "0", "cancel", "1");

        TaskRecorder.Start start = recorder.start(message, now());

        assertThat(start.skip()).isTrue();
        assertThat(record(oneDatabase, message, "state")).isEqualTo("REVOKED");
        assertThat(record(oneDatabase, message, "attempts")).isEqualTo("0");
    }

    private TaskRecorder recorder(boolean oneDatabase) {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, resultDb(oneDatabase));
        RedisConnections connections = new RedisConnections(vertx, settings);
        opened.add(connections);
        return new TaskRecorder(connections, new WorkerIdentity(), new ObjectMapper(), settings);
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
        return server.command(resultDb(oneDatabase), "HGET", RedisKeys.task(message.id()), field);
    }

    private static String broker(String... command) {
        return server.command(0, command);
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}

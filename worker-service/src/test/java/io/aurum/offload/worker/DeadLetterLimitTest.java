package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.aurum.offload.client.DeadLetter;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisDeadLetters;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The dead letters of a queue, written by the worker's scripts and listed by the operators' side: bounded by
 * {@code dead-letter-max} (the oldest go first, entry and all), listed newest first.
 */
class DeadLetterLimitTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static RedisServer server() {
        return REDIS.server();
    }

    private static final String QUEUE = "default";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private OffloadSettings settings;

    @Test
    void dropsTheOldestDeadLettersBeyondTheLimit() {
        TaskRecorder recorder = recorder(2);
        long failedAt = System.currentTimeMillis();
        String oldest = failForGood(recorder, failedAt);
        String middle = failForGood(recorder, failedAt + 1);

        String newest = failForGood(recorder, failedAt + 2);

        assertThat(server().command("ZRANGE", RedisKeys.dead(QUEUE), "0", "-1").lines().toList())
                .containsExactly(middle, newest);
        assertThat(server().command("HKEYS", RedisKeys.deadEntries(QUEUE)).lines().toList())
                .containsExactlyInAnyOrder(middle, newest)
                .doesNotContain(oldest);
    }

    @Test
    void listsTheNewestDeadLettersFirstUpToTheLimit() {
        TaskRecorder recorder = recorder(100);
        long failedAt = System.currentTimeMillis();
        failForGood(recorder, failedAt);
        String middle = failForGood(recorder, failedAt + 1);
        String newest = failForGood(recorder, failedAt + 2);

        List<DeadLetter> two = deadLetters().list(QUEUE, 2).await().atMost(WAIT);

        assertThat(two).extracting(DeadLetter::taskId).containsExactly(newest, middle);
    }

    @Test
    void listsNothingForALimitOfZero() {
        TaskRecorder recorder = recorder(100);
        failForGood(recorder, System.currentTimeMillis());

        List<DeadLetter> none = deadLetters().list(QUEUE, 0).await().atMost(WAIT);

        assertThat(none).isEmpty();
    }

    /** Runs one task to a final failure through the recorder's scripts; returns its id. */
    private static String failForGood(TaskRecorder recorder, long nowMs) {
        TaskMessage message = new TaskMessage(new TaskIds().next(), "fail", QUEUE, "acme", nowMs,
                JsonNodeFactory.instance.objectNode());
        long attempt = recorder.start(message, nowMs).attempt();
        recorder.recordAndSettle(new Delivery(QUEUE, Buffer.buffer("{\"id\":\"" + message.id() + "\"}")), message,
                attempt, new Verdict.Failed(new TaskError("IllegalStateException", "failed")), nowMs);
        return message.id();
    }

    private TaskRecorder recorder(int deadLetterMax) {
        settings = OffloadSettingsFixture.settings(Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", server().url(0),
                "aurum.api.offload.celery-result-backend", server().url(1),
                "aurum.api.offload.dead-letter-max", Integer.toString(deadLetterMax)));
        RedisConnections connections = REDIS.connect(settings);
        WorkerIdentity identity = new WorkerIdentity();
        ObjectMapper mapper = new ObjectMapper();
        return new TaskRecorder(connections, identity, new TaskFetcher(connections, identity, settings, mapper), mapper,
                settings);
    }

    private RedisDeadLetters deadLetters() {
        RedisConnections connections = REDIS.connect(settings);
        return new RedisDeadLetters(connections, new ObjectMapper().registerModule(new JavaTimeModule()), settings);
    }
}

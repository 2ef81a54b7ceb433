package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

/** The dead letters of a queue are bounded by {@code dead-letter-max}: the oldest go first, entry and all. */
class DeadLetterLimitTest {

    private static final String QUEUE = "default";

    private static RedisServer server;
    private static Vertx vertx;
    private static RedisConnections connections;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        if (connections != null) {
            connections.broker().close();
            connections.results().close();
        }
        vertx.closeAndAwait();
        server.close();
    }

    @Test
    void dropsTheOldestDeadLettersBeyondTheLimit() {
        TaskRecorder recorder = recorder(2);
        long failedAt = System.currentTimeMillis();
        String oldest = failForGood(recorder, failedAt);
        String middle = failForGood(recorder, failedAt + 1);

        String newest = failForGood(recorder, failedAt + 2);

        assertThat(server.command("ZRANGE", RedisKeys.dead(QUEUE), "0", "-1").lines().toList())
                .containsExactly(middle, newest);
        assertThat(server.command("HKEYS", RedisKeys.deadEntries(QUEUE)).lines().toList())
                .containsExactlyInAnyOrder(middle, newest)
                .doesNotContain(oldest);
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

    private static TaskRecorder recorder(int deadLetterMax) {
        OffloadSettings settings = OffloadSettingsFixture.settings(Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", server.url(0),
                "aurum.api.offload.celery-result-backend", server.url(1),
                "aurum.api.offload.dead-letter-max", Integer.toString(deadLetterMax)));
        connections = new RedisConnections(vertx, settings);
        return new TaskRecorder(connections, new WorkerIdentity(), new ObjectMapper(), settings);
    }
}

package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;

/**
 * A worker puts back messages stranded in its own active list (a blocking take that Redis carried out after the
 * client gave up on it) but never one of its processors holds. Driven through the fetcher against a private Redis;
 * each call of {@link TaskFetcher#reclaimOrphans()} is one round, as the heartbeat schedule would run it.
 */
class TaskFetcherOrphansTest {

    private static final String QUEUE = "default";
    private static final int ROUNDS = 5;

    private static RedisServer server;
    private static Vertx vertx;

    private final WorkerIdentity identity = new WorkerIdentity();
    private RedisConnections connections;
    private TaskFetcher fetcher;

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
    void freshFetcher() {
        server.command("FLUSHALL");
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        connections = new RedisConnections(vertx, settings);
        fetcher = new TaskFetcher(connections, identity, settings, new ObjectMapper());
    }

    @AfterEach
    void closeConnections() {
        connections.broker().close();
        connections.results().close();
    }

    @Test
    void neverReclaimsAMessageAProcessorHoldsHoweverManyRoundsRun() {
        String message = message();
        server.command("LPUSH", RedisKeys.pending(QUEUE), message);
        Delivery held = fetcher.take().delivery();

        long reclaimed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            reclaimed += fetcher.reclaimOrphans();
        }

        assertThat(held).isNotNull();
        assertThat(held.raw().toString()).isEqualTo(message);
        assertThat(reclaimed).isZero();
        assertThat(server.command("LRANGE", activeList(), "0", "-1")).isEqualTo(message);
        assertThat(server.command("LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
    }

    @Test
    void reclaimsAMessageNoProcessorHoldsAtTheSecondRoundNotTheFirst() {
        String message = message();
        server.command("LPUSH", activeList(), message);

        long firstRound = fetcher.reclaimOrphans();
        String activeAfterFirst = server.command("LRANGE", activeList(), "0", "-1");
        long secondRound = fetcher.reclaimOrphans();

        assertThat(firstRound).isZero();
        assertThat(activeAfterFirst).isEqualTo(message);
        assertThat(secondRound).isEqualTo(1);
        assertThat(server.command("LLEN", activeList())).isEqualTo("0");
        assertThat(server.command("LRANGE", RedisKeys.pending(QUEUE), "0", "-1")).isEqualTo(message);
    }

    @Test
    void reclaimsAMessageItsProcessorReleasedWithoutAcknowledgingIt() {
        String message = message();
        server.command("LPUSH", RedisKeys.pending(QUEUE), message);
        Delivery delivery = fetcher.take().delivery();
        fetcher.reclaimOrphans();

        fetcher.release(delivery);
        long reclaimed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            reclaimed += fetcher.reclaimOrphans();
        }

        assertThat(reclaimed).isEqualTo(1);
        assertThat(server.command("LLEN", activeList())).isEqualTo("0");
        assertThat(server.command("LRANGE", RedisKeys.pending(QUEUE), "0", "-1")).isEqualTo(message);
    }

    private String activeList() {
        return RedisKeys.active(QUEUE, identity.id());
    }

    private static String message() {
        return WorkerTasks.message(new TaskIds().next(), "heavy_compute", "acme", "{}");
    }
}

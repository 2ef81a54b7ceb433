package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.redis.RedisOffloadClient;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.TestJobs;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The once-per-slot guarantee against a private redis-server, with enqueuers built by hand as separate replicas
 * (each with its own connections) would have them. Broker on database 0, results on 1, unless said otherwise.
 */
class PeriodicEnqueuerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PENDING = RedisKeys.pending("default");
    private static final PeriodicSchedule TICK = PeriodicSchedule.every("tick", TestJobs.ECHO, Duration.ofSeconds(1))
            .withPayload(JsonNodeFactory.instance.objectNode().put("from", "beat"));
    private static final int THREADS_PER_REPLICA = 16;

    private static RedisServer server;
    private static Vertx vertx;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<RedisConnections> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        // Mutiny sets up context propagation on first use, which is not safe from many threads at once.
        RedisConnections warmUp = new RedisConnections(vertx, OffloadSettingsFixture.redis(server, 0, 0));
        warmUp.broker().send(Request.cmd(Command.PING)).await().atMost(WAIT);
        warmUp.broker().close();
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
        opened.clear();
    }

    @Test
    void enqueuesOneTaskPerSlotWhenTwoReplicasFireEachSlotFromManyThreads() throws Exception {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        List<PeriodicEnqueuer> replicas = List.of(replica(settings), replica(settings));
        long firstSlot = slotNow();

        List<Integer> winnersPerSlot = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            winnersPerSlot.add(fireConcurrently(replicas, firstSlot + i * 1000L).size());
        }

        assertThat(winnersPerSlot).containsExactly(1, 1, 1, 1, 1);
        assertThat(server.command(0, "LLEN", PENDING)).isEqualTo("5");
        assertThat(taskRecords(1)).hasSize(5);
    }

    @Test
    void enqueuesOneTaskPerSlotWhenBrokerAndResultsAreOneDatabase() throws Exception {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 0);
        List<PeriodicEnqueuer> replicas = List.of(replica(settings), replica(settings));
        long slot = slotNow();

        List<String> winners = fireConcurrently(replicas, slot);

        assertThat(winners).hasSize(1);
        assertThat(server.command(0, "LLEN", PENDING)).isEqualTo("1");
        assertThat(taskRecords(0)).containsExactly(RedisKeys.task(winners.get(0)));
    }

    @Test
    void recordsTheSlotsTaskPendingAndKeepsItsClaimLongerThanThePeriod() {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        long slot = slotNow();

        String id = replica(settings).fire(TICK, slot).await().atMost(WAIT);

        String claim = RedisKeys.beatSlot("default", "tick", slot);
        assertThat(server.command(0, "GET", claim)).isEqualTo(id);
        assertThat(Long.parseLong(server.command(0, "PTTL", claim))).isGreaterThan(Duration.ofMinutes(59).toMillis());
        assertThat(server.command(1, "HGET", RedisKeys.task(id), "state")).isEqualTo("PENDING");
        assertThat(server.command(0, "LINDEX", PENDING, "0")).contains(id).contains("\"from\":\"beat\"");
    }

    @Test
    void doesNotEnqueueASlotAgainAfterARestartWithinIt() {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        long slot = slotNow();
        String before = replica(settings).fire(TICK, slot).await().atMost(WAIT);
        closeConnections();

        String afterRestart = replica(settings).fire(TICK, slot).await().atMost(WAIT);

        assertThat(before).isNotNull();
        assertThat(afterRestart).isNull();
        assertThat(server.command(0, "LLEN", PENDING)).isEqualTo("1");
    }

    @Test
    void enqueuesTheNextSlotAfterARestart() {
        OffloadSettings settings = OffloadSettingsFixture.redis(server, 0, 1);
        long slot = slotNow();
        replica(settings).fire(TICK, slot).await().atMost(WAIT);
        closeConnections();

        String next = replica(settings).fire(TICK, slot + 1000).await().atMost(WAIT);

        assertThat(next).isNotNull();
        assertThat(server.command(0, "LLEN", PENDING)).isEqualTo("2");
    }

    /** A replica's enqueuer: its own connections, client and id source, as in another process. */
    private PeriodicEnqueuer replica(OffloadSettings settings) {
        RedisConnections connections = new RedisConnections(vertx, settings);
        opened.add(connections);
        TaskIds ids = new TaskIds();
        RedisOffloadClient client = new RedisOffloadClient(connections, TestJobs.registry(), ids, mapper, settings);
        return new PeriodicEnqueuer(client, ids, settings);
    }

    /** Fires {@code slot} from every replica on many threads released at once; returns the ids enqueued. */
    private List<String> fireConcurrently(List<PeriodicEnqueuer> replicas, long slot) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> fired = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(replicas.size() * THREADS_PER_REPLICA);
        try {
            for (PeriodicEnqueuer replica : replicas) {
                for (int i = 0; i < THREADS_PER_REPLICA; i++) {
                    fired.add(threads.submit(() -> {
                        go.await();
                        return replica.fire(TICK, slot).await().atMost(WAIT);
                    }));
                }
            }
            go.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<String> firing : fired) {
                ids.add(firing.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return ids.stream().filter(Objects::nonNull).toList();
        } finally {
            threads.shutdownNow();
        }
    }

    private static long slotNow() {
        return TICK.slotMs(Instant.now(), System.currentTimeMillis());
    }

    private static List<String> taskRecords(int db) {
        String keys = server.command(db, "KEYS", "aurum:{t:*}");
        return keys.isEmpty() ? List.of() : List.of(keys.split("\n"));
    }
}

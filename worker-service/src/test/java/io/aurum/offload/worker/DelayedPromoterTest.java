package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;
import io.aurum.offload.testing.RedisServer;

/**
 * Delayed tasks move onto their queue when due, exactly once, however many promoters (worker replicas) race.
 * No worker takes from the queue here, so the pending list shows every promotion.
 */
class DelayedPromoterTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static RedisServer server() {
        return REDIS.server();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUE = "promotions";
    private static final int MESSAGES = 1_200;

    @Test
    void movesEachDueMessageOntoTheQueueExactlyOnceWhilePromotersRace() throws Exception {
        delay(MESSAGES, System.currentTimeMillis() - 1_000);
        List<DelayedPromoter> promoters = List.of(promoter(), promoter(), promoter());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<?>> rounds = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                DelayedPromoter promoter = promoters.get(i % promoters.size());
                rounds.add(threads.submit(() -> {
                    go.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    for (int round = 0; round < 5; round++) {
                        promoter.promoteDue().await().atMost(WAIT);
                    }
                    return null;
                }));
            }

            go.countDown();
            for (Future<?> round : rounds) {
                round.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        List<String> pending = server().command("LRANGE", RedisKeys.pending(QUEUE), "0", "-1").lines().toList();
        assertThat(pending).hasSize(MESSAGES).doesNotHaveDuplicates();
        assertThat(server().command("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("0");
    }

    @Test
    void leavesAMessageThatIsNotDueInTheDelayedSet() {
        delay(1, System.currentTimeMillis() + 60_000);
        DelayedPromoter promoter = promoter();

        promoter.promoteDue().await().atMost(WAIT);

        assertThat(server().command("LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
        assertThat(server().command("ZCARD", RedisKeys.delayed(QUEUE))).isEqualTo("1");
    }

    @Test
    void promotesNothingUntilStarted() {
        delay(1, System.currentTimeMillis() - 1_000);
        DelayedPromoter stopped = promoter();
        stopped.stop();

        stopped.promoteDue().await().atMost(WAIT);

        assertThat(server().command("LLEN", RedisKeys.pending(QUEUE))).isEqualTo("0");
    }

    /** Puts {@code count} distinct messages due at {@code dueMs} in the delayed set, in one command. */
    private static void delay(int count, long dueMs) {
        List<String> command = new ArrayList<>(List.of("ZADD", RedisKeys.delayed(QUEUE)));
        for (int i = 0; i < count; i++) {
            command.add(Long.toString(dueMs));
            command.add("{\"id\":\"delayed-" + i + "\",\"job\":\"sleep\",\"queue\":\"" + QUEUE + "\"}");
        }
        assertThat(server().command(command.toArray(String[]::new))).isEqualTo(Integer.toString(count));
    }

    private DelayedPromoter promoter() {
        OffloadSettings settings = OffloadSettingsFixture.settings(Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", server().url(0),
                "aurum.api.offload.celery-result-backend", server().url(1),
                "aurum.api.offload.worker.queues", QUEUE));
        RedisConnections connections = REDIS.connect(settings);
        DelayedPromoter promoter = new DelayedPromoter(connections, settings);
        promoter.start();
        return promoter;
    }
}

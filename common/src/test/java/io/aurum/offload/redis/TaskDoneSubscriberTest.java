package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.PrivateRedis;

/** The api's subscription to finished tasks, against a private redis-server that it sees go away and come back. */
class TaskDoneSubscriberTest {

    @RegisterExtension
    static final PrivateRedis REDIS = new PrivateRedis();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONGER_THAN_WAIT = Duration.ofSeconds(60);
    /** Longer than any backoff of the subscription: it retries at least every 5 s. */
    private static final Duration RESUBSCRIBE_LIMIT = Duration.ofSeconds(30);

    private TaskDoneSubscriber subscriber;

    @BeforeEach
    void subscribe() {
        OffloadSettings settings = OffloadSettingsFixture.redis(REDIS.server(), 0, 1);
        subscriber = new TaskDoneSubscriber(REDIS.connect(settings), settings);
        subscriber.start();
        awaitSubscribers(1);
        awaitSubscribed();
    }

    @AfterEach
    void stop() {
        subscriber.stop();
    }

    @Test
    void wakesTheWaitersOfAnIdPublishedOnTheChannel() {
        TaskWaiters.Waiter waiter = subscriber.waiters().register("task-a");
        TaskWaiters.Waiter other = subscriber.waiters().register("task-b");

        REDIS.server().command("PUBLISH", RedisKeys.taskDoneChannel(), "task-a");

        assertThat(waiter.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
        assertThat(other.woken(Duration.ofMillis(100)).await().atMost(WAIT)).isFalse();
    }

    @Test
    void subscribesAgainAfterRedisRestartsAndWakesWhoWaitedMeanwhile() {
        REDIS.server().kill();
        TaskWaiters.Waiter waitedThroughTheOutage = subscriber.waiters().register("task-a");

        REDIS.server().restart();
        awaitSubscribers(1);

        // No finish was published: the new subscription wakes it to read again, as a finish may have gone unheard.
        assertThat(waitedThroughTheOutage.woken(LONGER_THAN_WAIT).await().atMost(RESUBSCRIBE_LIMIT)).isTrue();
        awaitSubscribed();
        TaskWaiters.Waiter waiter = subscriber.waiters().register("task-b");
        REDIS.server().command("PUBLISH", RedisKeys.taskDoneChannel(), "task-b");
        assertThat(waiter.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
    }

    @Test
    void subscribesAgainAfterItsConnectionIsKilled() {
        REDIS.server().command("CLIENT", "KILL", "TYPE", "pubsub");

        awaitSubscribers(1);
        awaitSubscribed();
        TaskWaiters.Waiter waiter = subscriber.waiters().register("task-a");
        REDIS.server().command("PUBLISH", RedisKeys.taskDoneChannel(), "task-a");

        assertThat(waiter.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
    }

    @Test
    void leavesTheChannelWhenStopped() {
        subscriber.stop();

        awaitSubscribers(0);
        assertThat(subscriber.isSubscribed()).isFalse();
    }

    /** Polls Redis's own count of the channel's subscribers until it is {@code count}, for at most 30 s. */
    private static void awaitSubscribers(int count) {
        long deadline = System.nanoTime() + RESUBSCRIBE_LIMIT.toNanos();
        while (!subscribers().equals(Integer.toString(count))) {
            assertThat(System.nanoTime()).as("%d subscribers within %s", count, RESUBSCRIBE_LIMIT)
                    .isLessThan(deadline);
            pause();
        }
    }

    private void awaitSubscribed() {
        long deadline = System.nanoTime() + RESUBSCRIBE_LIMIT.toNanos();
        while (!subscriber.isSubscribed()) {
            assertThat(System.nanoTime()).as("subscribed within %s", RESUBSCRIBE_LIMIT).isLessThan(deadline);
            pause();
        }
    }

    private static String subscribers() {
        try {
            return REDIS.server().command("PUBSUB", "NUMSUB", RedisKeys.taskDoneChannel()).lines().skip(1)
                    .findFirst().orElse("");
        } catch (IllegalStateException notUpYet) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The registry of waiting reads, on its own. */
class TaskWaitersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONGER_THAN_WAIT = Duration.ofSeconds(60);

    private final TaskWaiters waiters = new TaskWaiters();

    @Test
    void wakesEveryWaiterOfTheFinishedTaskAndNoOther() {
        TaskWaiters.Waiter first = waiters.register("task-a");
        TaskWaiters.Waiter second = waiters.register("task-a");
        TaskWaiters.Waiter other = waiters.register("task-b");

        waiters.wake("task-a");

        assertThat(first.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
        assertThat(second.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
        assertThat(other.woken(Duration.ofMillis(50)).await().atMost(WAIT)).isFalse();
        assertThat(waiters.tasksWaitedFor()).isEqualTo(1);
    }

    @Test
    void keepsAWakeUpThatCameBeforeTheWaitBegan() {
        TaskWaiters.Waiter waiter = waiters.register("task-a");

        waiters.wake("task-a");

        assertThat(waiter.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
    }

    @Test
    void forgetsAWaiterThatGaveUp() {
        TaskWaiters.Waiter gaveUp = waiters.register("task-a");
        TaskWaiters.Waiter stays = waiters.register("task-a");

        waiters.unregister(gaveUp);
        waiters.unregister(stays);

        assertThat(waiters.tasksWaitedFor()).isZero();
    }

    @Test
    void wakesEveryWaiterOfEveryTaskAtOnce() {
        TaskWaiters.Waiter first = waiters.register("task-a");
        TaskWaiters.Waiter second = waiters.register("task-b");

        waiters.wakeAll();

        assertThat(first.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
        assertThat(second.woken(LONGER_THAN_WAIT).await().atMost(WAIT)).isTrue();
        assertThat(waiters.tasksWaitedFor()).isZero();
    }
}

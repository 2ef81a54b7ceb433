package io.aurum.offload.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.smallrye.mutiny.Uni;

/**
 * The status reads of this process that wait for a task to finish, by task id. A finished task's id, heard on
 * {@link RedisKeys#taskDoneChannel()}, wakes every waiter of that task at once.
 *
 * <p>Each waiter is woken at most once and then forgotten; a caller that goes on waiting registers a new one
 * before its next read, so that a finish published between the read and the wait still reaches it.
 */
final class TaskWaiters {

    /** Lists are only changed inside {@code compute} of their key, or after {@code remove} took them out. */
    private final Map<String, List<Waiter>> byTask = new ConcurrentHashMap<>();

    /** One waiting read of one task. */
    static final class Waiter {

        private final String taskId;
        /** The record published with the finish, empty when woken without one. */
        private final CompletableFuture<Optional<String>> woken = new CompletableFuture<>();

        private Waiter(String taskId) {
            this.taskId = taskId;
        }

        /**
         * Emits once woken: the record published with the finish, or an empty string when there was none; null when
         * {@code longest} runs out first.
         */
        Uni<Optional<String>> wokenWith(Duration longest) {
            return Uni.createFrom().completionStage(woken)
                    .ifNoItem().after(longest).recoverWithItem((Optional<String>) null);
        }

        /** Emits true once woken, or false when {@code longest} runs out first. */
        Uni<Boolean> woken(Duration longest) {
            return wokenWith(longest).map(record -> record != null);
        }
    }

    Waiter register(String taskId) {
        Waiter waiter = new Waiter(taskId);
        byTask.compute(taskId, (id, waiters) -> {
            List<Waiter> list = waiters == null ? new ArrayList<>(1) : waiters;
            list.add(waiter);
            return list;
        });
        return waiter;
    }

    /** Forgets a waiter that is done; does nothing when it was woken (and so forgotten) already. */
    void unregister(Waiter waiter) {
        byTask.computeIfPresent(waiter.taskId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** Wakes every waiter of {@code taskId}. */
    void wake(String taskId) {
        wake(taskId, Optional.empty());
    }

    /** Wakes every waiter of {@code taskId} with the record published with its finish, if any. */
    void wake(String taskId, Optional<String> record) {
        List<Waiter> waiters = byTask.remove(taskId);
        if (waiters != null) {
            waiters.forEach(waiter -> waiter.woken.complete(record));
        }
    }

    /** Wakes every waiter, so that each reads its task again: after finishes may have gone unheard. */
    void wakeAll() {
        List.copyOf(byTask.keySet()).forEach(this::wake);
    }

    /** Tasks with at least one waiter, for tests and diagnostics. */
    int tasksWaitedFor() {
        return byTask.size();
    }
}

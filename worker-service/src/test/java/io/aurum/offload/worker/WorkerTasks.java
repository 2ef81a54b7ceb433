package io.aurum.offload.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;

/** Waits and Redis look-ups shared by the worker's tests. Broker keys are in database 0, task records in 1. */
final class WorkerTasks {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String QUEUE = "default";

    private WorkerTasks() {
    }

    static RedisServer redis() {
        return RedisTestResource.server();
    }

    /** Polls the task until it is SUCCESS, FAILURE or REVOKED, for at most {@link #WAIT}. */
    static TaskStatus awaitFinished(OffloadClient client, String id, String tenant) {
        return awaitStatus(client, id, tenant, "to finish", status -> status.state().isFinished());
    }

    /** Polls the task until it is in {@code state}, for at most {@link #WAIT}; returns the status that was. */
    static TaskStatus awaitState(OffloadClient client, String id, String tenant, TaskState state) {
        return awaitStatus(client, id, tenant, "to be " + state, status -> status.state() == state);
    }

    /**
     * Polls the task until it finishes, for at most {@link #WAIT}, and returns every status seen on the way (a state
     * held only between two polls may be missed).
     */
    static List<TaskStatus> watchUntilFinished(OffloadClient client, String id, String tenant) {
        List<TaskStatus> seen = new ArrayList<>();
        awaitTrue("task " + id + " to finish", () -> {
            TaskStatus status = status(client, id, tenant);
            if (status != null) {
                seen.add(status);
            }
            return status != null && status.state().isFinished();
        });
        return seen;
    }

    /** Polls the task until its status matches {@code condition}, for at most {@link #WAIT}. */
    static TaskStatus awaitStatus(OffloadClient client, String id, String tenant, String what,
            Predicate<TaskStatus> condition) {
        TaskStatus[] last = new TaskStatus[1];
        awaitTrue("task " + id + " " + what, () -> {
            last[0] = status(client, id, tenant);
            return last[0] != null && condition.test(last[0]);
        });
        return last[0];
    }

    /** The task's status as {@code tenant} sees it, or null when it is not found. */
    static TaskStatus status(OffloadClient client, String id, String tenant) {
        TaskLookup lookup = client.fetchJobResult(id, tenant).await().atMost(WAIT);
        return lookup instanceof TaskLookup.Found found ? found.status() : null;
    }

    /** Polls {@code condition} until it holds, for at most {@link #WAIT}. */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + WAIT + " for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** Puts a message at the end of the queue the worker takes from next. */
    static void pushPending(String message) {
        redis().command("LPUSH", RedisKeys.pending(QUEUE), message);
    }

    /** How many dead letters the queue holds (broker on database 0). */
    static long deadLetterCount() {
        return Long.parseLong(redis().command("ZCARD", RedisKeys.dead(QUEUE)));
    }

    /**
     * Waits until the task is among the queue's dead letters. With broker and results apart the worker stores the
     * FAILURE first and writes the dead letter in its next step, so it may appear just after the status says FAILURE.
     */
    static void awaitDeadLetter(String id) {
        awaitTrue("task " + id + " in the dead letters",
                () -> !redis().command("ZSCORE", RedisKeys.dead(QUEUE), id).isEmpty());
    }

    /** The one dead-letter entry of the queue, as the worker stored it. */
    static JsonNode onlyDeadEntry(ObjectMapper mapper) {
        String ids = redis().command("ZRANGE", RedisKeys.dead(QUEUE), "0", "-1");
        if (ids.isEmpty() || ids.contains("\n")) {
            throw new AssertionError("expected exactly one dead letter, found: [" + ids + "]");
        }
        try {
            return mapper.readTree(redis().command("HGET", RedisKeys.deadEntries(QUEUE), ids));
        } catch (IOException e) {
            throw new AssertionError("dead-letter entry of " + ids + " is not JSON", e);
        }
    }

    /** Pauses the test thread; for waits that must pass before a check that something did not happen. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String recordField(String id, String field) {
        return redis().command("-n", "1", "HGET", RedisKeys.task(id), field);
    }

    /** True when no message waits and no worker holds one: every delivery was acknowledged. */
    static boolean queueDrained() {
        return queueDrained(redis(), 0);
    }

    /** {@link #queueDrained()} for a broker on database {@code db} of {@code server}. */
    static boolean queueDrained(RedisServer server, int db) {
        String database = Integer.toString(db);
        return "0".equals(server.command("-n", database, "LLEN", RedisKeys.pending(QUEUE)))
                && server.command("-n", database, "KEYS", RedisKeys.activePrefix(QUEUE) + "*").isEmpty();
    }

    /** A message as the client would write it, by hand so that the wire format is checked too. */
    static String message(String id, String job, String tenant, String payloadJson) {
        return """
                {"id":"%s","job":"%s","queue":"%s","tenant":"%s","created":%d,"payload":%s}"""
                .formatted(id, job, QUEUE, tenant, System.currentTimeMillis(), payloadJson);
    }
}

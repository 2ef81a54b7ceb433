package io.aurum.offload.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;

/** Waits and Redis look-ups shared by the worker's tests. Broker keys are in database 0, task records in 1. */
final class WorkerTasks {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String QUEUE = "default";

    private WorkerTasks() {
    }

    static RedisServer redis() {
        return RedisTestResource.server();
    }

    /** Polls the task until it is SUCCESS or FAILURE, for at most {@link #WAIT}. */
    static TaskStatus awaitFinished(OffloadClient client, String id, String tenant) {
        TaskStatus[] last = new TaskStatus[1];
        awaitTrue("task " + id + " to finish", () -> {
            TaskLookup lookup = client.fetchJobResult(id, tenant).await().atMost(WAIT);
            last[0] = lookup instanceof TaskLookup.Found found ? found.status() : null;
            return last[0] != null && (last[0].state() == TaskState.SUCCESS || last[0].state() == TaskState.FAILURE);
        });
        return last[0];
    }

    /** Polls {@code condition} until it holds, for at most {@link #WAIT}. */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + WAIT + " for " + what);
            }
            try {
                Thread.sleep(50);
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

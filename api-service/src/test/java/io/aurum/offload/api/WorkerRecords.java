package io.aurum.offload.api;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;

/**
 * Reads the broker and writes task outcomes the way the worker's scripts do, so that the api's answers to finished
 * and expired tasks, and the wake-up of waiting reads, can be checked with no worker running. Kept minimal on
 * purpose: the real worker path (START, FINISH, the result's time-to-live) is covered by the end-to-end test,
 * which runs both services.
 */
final class WorkerRecords {

    static final int BROKER_DB = 0;
    static final int RESULT_DB = 1;
    static final String QUEUE = "default";

    /** The gone marker's life in the worker's default settings (7 days), in milliseconds. */
    private static final String GONE_TTL_MS = Long.toString(7L * 24 * 3600 * 1000);

    /** The finished record's life in the worker's default settings (1 day), in milliseconds. */
    private static final String RESULT_TTL_MS = Long.toString(24L * 3600 * 1000);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** KEYS: task, gone. ARGV: gone ttl (ms), task-done channel, task id, then field and value pairs to set. */
    private static final String FINISH = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'tenant') or '', 'PX', ARGV[1])
            if redis.call('HGET', KEYS[1], 'watch') == '1' then
              redis.call('PUBLISH', ARGV[2], ARGV[3])
            end
            """;

    private WorkerRecords() {
    }

    /** The messages waiting on the default queue, newest first, as the raw JSON the api pushed. */
    static List<String> pendingMessages() {
        String reply = redis().command(BROKER_DB, "LRANGE", RedisKeys.pending(QUEUE), "0", "-1");
        return reply.isEmpty() ? List.of() : Arrays.asList(reply.split("\n"));
    }

    /** The message of {@code taskId} on the default queue, parsed; fails the test when it is not there. */
    static JsonNode queuedMessage(String taskId) throws IOException {
        for (String raw : pendingMessages()) {
            JsonNode message = JSON.readTree(raw);
            if (taskId.equals(message.path("id").asText())) {
                return message;
            }
        }
        throw new AssertionError("task " + taskId + " is not on the pending list");
    }

    /** The task record's fields as stored in the result backend; empty when there is none. */
    static Map<String, String> record(String taskId) {
        String reply = redis().command(RESULT_DB, "HGETALL", RedisKeys.task(taskId));
        Map<String, String> fields = new HashMap<>();
        if (reply.isEmpty()) {
            return fields;
        }
        String[] lines = reply.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            fields.put(lines[i], lines[i + 1]);
        }
        return fields;
    }

    /**
     * Sets the task's state alone, as the worker's START script does for STARTED; RETRY and REVOKED are written
     * the same way.
     */
    static void markState(String taskId, String state) {
        redis().command(RESULT_DB, "HSET", RedisKeys.task(taskId), "state", state);
    }

    /** Stores SUCCESS with {@code resultJson}, as the worker's FINISH script does after a job returned. */
    static void succeed(String taskId, String resultJson) {
        finish(taskId, "SUCCESS", "result", resultJson);
    }

    /** Stores FAILURE with the error's type and message, as the worker does after a job threw. */
    static void fail(String taskId, String errorType, String errorMessage) {
        finish(taskId, "FAILURE", "error_type", errorType, "error_message", errorMessage);
    }

    /** The messages waiting on the default queue's delayed set, each with the time it is due (ms). */
    static Map<String, Long> delayedMessages() {
        String reply = redis().command(BROKER_DB, "ZRANGE", RedisKeys.delayed(QUEUE), "0", "-1", "WITHSCORES");
        Map<String, Long> due = new HashMap<>();
        String[] lines = reply.isEmpty() ? new String[0] : reply.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            due.put(lines[i], Long.parseLong(lines[i + 1]));
        }
        return due;
    }

    /**
     * Makes the task a dead letter as the worker does when its last attempt fails: the record FAILURE with the
     * error and {@code attempts} failures (RECORD), then the message, taken off the queue, filed under the task id
     * in the dead set and entries with the last error (SETTLE). Returns the raw message.
     */
    static String deadLetter(String taskId, int attempts, String errorType, String errorMessage, long failedAtMs)
            throws IOException {
        String raw = rawMessage(taskId);
        redis().command(BROKER_DB, "LREM", RedisKeys.pending(QUEUE), "1", raw);
        finish(taskId, "FAILURE", "attempts", Integer.toString(attempts), "failures", Integer.toString(attempts),
                "error_type", errorType, "error_message", errorMessage);
        redis().command(RESULT_DB, "PEXPIRE", RedisKeys.task(taskId), RESULT_TTL_MS);

        JsonNode message = JSON.readTree(raw);
        ObjectNode entry = JSON.createObjectNode().put("task_id", taskId).put("job", message.get("job").asText())
                .put("queue", QUEUE).put("tenant", message.get("tenant").asText()).put("attempts", attempts)
                .put("failed_at", Instant.ofEpochMilli(failedAtMs).toString()).put("message", raw);
        entry.putObject("error").put("type", errorType).put("message", errorMessage);
        fileDeadLetter(taskId, JSON.writeValueAsString(entry), failedAtMs);
        return raw;
    }

    /** Files bytes no worker could read as a dead letter, as the worker does, under {@code id}. */
    static void deadLetterUnreadable(String id, String raw, long failedAtMs) throws IOException {
        ObjectNode entry = JSON.createObjectNode().put("task_id", id).put("job", "").put("queue", QUEUE)
                .put("tenant", "").put("attempts", 0).put("failed_at", Instant.ofEpochMilli(failedAtMs).toString())
                .put("message", raw);
        entry.putObject("error").put("type", "UnreadableMessage")
                .put("message", "the queued data is not a task message");
        fileDeadLetter(id, JSON.writeValueAsString(entry), failedAtMs);
    }

    /** The ids in the default queue's dead set, oldest first. */
    static List<String> deadLetterIds() {
        String reply = redis().command(BROKER_DB, "ZRANGE", RedisKeys.dead(QUEUE), "0", "-1");
        return reply.isEmpty() ? List.of() : Arrays.asList(reply.split("\n"));
    }

    /** Whether the default queue's dead-letter entries hold an entry for {@code taskId}. */
    static boolean hasDeadLetterEntry(String taskId) {
        return "1".equals(redis().command(BROKER_DB, "HEXISTS", RedisKeys.deadEntries(QUEUE), taskId));
    }

    /** Lets the record's time-to-live run out now; the gone marker written at finish stays. */
    static void expireResult(String taskId) {
        redis().command(RESULT_DB, "DEL", RedisKeys.task(taskId));
    }

    private static String rawMessage(String taskId) throws IOException {
        for (String raw : pendingMessages()) {
            if (taskId.equals(JSON.readTree(raw).path("id").asText())) {
                return raw;
            }
        }
        throw new AssertionError("task " + taskId + " is not on the pending list");
    }

    private static void fileDeadLetter(String id, String entryJson, long failedAtMs) {
        redis().command(BROKER_DB, "HSET", RedisKeys.deadEntries(QUEUE), id, entryJson);
        redis().command(BROKER_DB, "ZADD", RedisKeys.dead(QUEUE), Long.toString(failedAtMs), id);
    }

    /**
     * Makes the task final in one script, as the worker's record script does: the state and outcome, the gone
     * marker, and the task id published on the task-done channel when a status read watches the task.
     */
    private static void finish(String taskId, String state, String... outcomeFields) {
        String now = Long.toString(System.currentTimeMillis());
        List<String> eval = new ArrayList<>(List.of("EVAL", FINISH, "2", RedisKeys.task(taskId),
                RedisKeys.gone(taskId), GONE_TTL_MS, RedisKeys.taskDoneChannel(), taskId, "state", state,
                "attempts", "1", "started", now, "finished", now));
        eval.addAll(List.of(outcomeFields));
        redis().command(RESULT_DB, eval.toArray(String[]::new));
    }

    private static RedisServer redis() {
        return RedisTestResource.server();
    }
}

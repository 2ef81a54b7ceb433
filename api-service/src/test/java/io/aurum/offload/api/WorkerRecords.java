package io.aurum.offload.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.RedisServer;
import io.aurum.offload.testing.RedisTestResource;

/**
 * Reads the broker and writes task outcomes the way the worker's scripts do, so that the api's answers to finished
 * and expired tasks can be checked with no worker running. Kept minimal on purpose: the real worker path (START,
 * FINISH, the result's time-to-live) is covered by the end-to-end test, which runs both services.
 */
final class WorkerRecords {

    static final int BROKER_DB = 0;
    static final int RESULT_DB = 1;
    static final String QUEUE = "default";

    /** The gone marker's life in the worker's default settings (7 days), in milliseconds. */
    private static final String GONE_TTL_MS = Long.toString(7L * 24 * 3600 * 1000);

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Lets the record's time-to-live run out now; the gone marker written at finish stays. */
    static void expireResult(String taskId) {
        redis().command(RESULT_DB, "DEL", RedisKeys.task(taskId));
    }

    private static void finish(String taskId, String state, String... outcomeFields) {
        String now = Long.toString(System.currentTimeMillis());
        String key = RedisKeys.task(taskId);
        List<String> hset = new ArrayList<>(List.of("HSET", key, "state", state, "attempts", "1",
                "started", now, "finished", now));
        hset.addAll(List.of(outcomeFields));
        redis().command(RESULT_DB, hset.toArray(String[]::new));

        String tenant = redis().command(RESULT_DB, "HGET", key, "tenant");
        redis().command(RESULT_DB, "SET", RedisKeys.gone(taskId), tenant, "PX", GONE_TTL_MS);
    }

    private static RedisServer redis() {
        return RedisTestResource.server();
    }
}

package io.aurum.offload.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.vertx.mutiny.redis.client.Response;

/** Reads a task record hash (see {@link RedisKeys#task(String)}) into a {@link TaskStatus}. */
final class TaskRecords {

    private TaskRecords() {
    }

    static TaskStatus toStatus(String taskId, Response flatFields, ObjectMapper mapper) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flatFields.size(); i += 2) {
            fields.put(flatFields.get(i).toString(), flatFields.get(i + 1).toString());
        }
        return toStatus(taskId, fields, mapper);
    }

    /** The record's fields as a script publishes them: a JSON array of field, value, field, value... */
    static Map<String, String> fromPublished(String json, ObjectMapper mapper) throws IOException {
        String[] flat = mapper.readValue(json, String[].class);
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.length; i += 2) {
            fields.put(flat[i], flat[i + 1]);
        }
        return fields;
    }

    static TaskStatus toStatus(String taskId, Map<String, String> fields, ObjectMapper mapper) {
        TaskState state = TaskState.valueOf(fields.getOrDefault("state", "PENDING"));
        return new TaskStatus(taskId, fields.get("job"), fields.get("queue"), state,
                state == TaskState.SUCCESS ? parseResult(fields.get("result"), mapper) : null,
                error(state, fields),
                instant(fields.get("created")), instant(fields.get("started")), instant(fields.get("finished")),
                Long.parseLong(fields.getOrDefault("attempts", "0")),
                state == TaskState.RETRY ? instant(fields.get("retry_at")) : null,
                instant(fields.get("not_before")),
                parseProgress(fields.get("progress"), mapper));
    }

    /** The final error once FAILURE; while RETRY, the error of the attempt that failed; otherwise none. */
    private static TaskError error(TaskState state, Map<String, String> fields) {
        boolean shown = state == TaskState.FAILURE || (state == TaskState.RETRY && fields.containsKey("error_type"));
        return shown ? new TaskError(fields.get("error_type"), fields.get("error_message")) : null;
    }

    private static JsonNode parseProgress(String json, ObjectMapper mapper) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode parseResult(String json, ObjectMapper mapper) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException(new IOException("Stored result is not a JSON object", e));
        }
    }

    private static Instant instant(String epochMillis) {
        return epochMillis == null || epochMillis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }
}

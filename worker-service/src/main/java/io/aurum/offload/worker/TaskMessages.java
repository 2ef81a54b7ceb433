package io.aurum.offload.worker;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.task.TaskMessage;
import io.vertx.mutiny.core.buffer.Buffer;

/** Reads queued messages. */
final class TaskMessages {

    private TaskMessages() {
    }

    /** The message in {@code raw}, or null when it is not JSON or lacks what a worker needs to run it. */
    static TaskMessage read(ObjectMapper mapper, Buffer raw) {
        try {
            TaskMessage message = mapper.readValue(raw.getBytes(), TaskMessage.class);
            boolean complete = message.id() != null && message.job() != null && message.queue() != null
                    && message.payload() != null;
            return complete ? message : null;
        } catch (IOException e) {
            return null;
        }
    }
}

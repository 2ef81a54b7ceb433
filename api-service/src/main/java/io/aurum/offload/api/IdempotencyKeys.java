package io.aurum.offload.api;

import java.util.List;

import io.aurum.offload.task.EnqueueOptions;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The {@code Idempotency-Key} header of an enqueue: a repeat with the same key from the same tenant, within the
 * idempotency window, answers with the first task and enqueues nothing.
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";

    private static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * Adds the key to {@code options} when the header was sent; refuses a malformed one, an empty one included, and
     * more than one with a 400. Read from all the headers because a parameter would not tell empty from absent.
     */
    static EnqueueOptions apply(HttpHeaders headers, EnqueueOptions options) {
        List<String> values = headers.getRequestHeader(HEADER);
        if (values == null || values.isEmpty()) {
            return options;
        }
        String header = values.get(0);
        if (values.size() > 1 || header == null || header.isEmpty() || header.length() > MAX_LENGTH
                || !header.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ProblemException.badRequest("invalid-idempotency-key",
                    "Send one " + HEADER + " header of 1 to " + MAX_LENGTH + " printable ASCII characters.");
        }
        return options.withIdempotencyKey(header);
    }
}

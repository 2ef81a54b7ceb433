package io.aurum.offload.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How much a queue holds right now, read from the broker at one moment (each count is exact, the set of them is not
 * a transaction).
 *
 * @param queue       the queue
 * @param pending     messages waiting to be taken
 * @param delayed     messages waiting for a retry or their {@code not_before}
 * @param active      messages held by workers (running, or taken and not yet acknowledged)
 * @param workers     workers whose heartbeat lease on this queue has not run out
 * @param deadLetters dead letters kept for operators
 */
@RegisterForReflection
@Schema(name = "QueueDepth", description = "What a queue holds now; each count is exact, the set is not one snapshot.",
        requiredProperties = {"queue", "pending", "delayed", "active", "workers", "dead_letters"})
public record QueueDepth(
        @JsonProperty("queue") String queue,
        @JsonProperty("pending") long pending,
        @JsonProperty("delayed") long delayed,
        @JsonProperty("active") long active,
        @JsonProperty("workers") long workers,
        @JsonProperty("dead_letters") long deadLetters) {

    /** A queue with nothing in it and nobody on it, as the stub backend shows every queue. */
    public static QueueDepth empty(String queue) {
        return new QueueDepth(queue, 0, 0, 0, 0, 0);
    }
}

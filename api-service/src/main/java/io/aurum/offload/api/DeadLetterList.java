package io.aurum.offload.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.client.DeadLetter;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A page of a queue's dead letters.
 *
 * @param queue       the queue
 * @param total       how many dead letters the queue holds in all
 * @param deadLetters the newest of them, newest first
 */
@RegisterForReflection
@Schema(name = "DeadLetterList", description = "A page of a queue's dead letters, newest first.",
        requiredProperties = {"queue", "total", "dead_letters"})
public record DeadLetterList(@JsonProperty("queue") String queue, @JsonProperty("total") long total,
        @JsonProperty("dead_letters") List<DeadLetter> deadLetters) {
}

package io.aurum.offload.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What purging a queue did.
 *
 * @param queue   the queue
 * @param purged  messages taken off its pending list
 * @param revoked tasks whose record became REVOKED; the rest of the purged messages belonged to tasks that had
 *                finished or been revoked already, or could not be read
 */
@RegisterForReflection
@Schema(name = "PurgeOutcome", description = "What purging a queue did: messages removed and tasks made REVOKED.",
        requiredProperties = {"queue", "purged", "revoked"})
public record PurgeOutcome(
        @JsonProperty("queue") String queue,
        @JsonProperty("purged") long purged,
        @JsonProperty("revoked") long revoked) {
}

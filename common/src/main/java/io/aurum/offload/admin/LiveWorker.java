package io.aurum.offload.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A worker registered on one or more queues, and what it holds right now.
 *
 * @param worker         its id: host (pod) name and a random suffix, new at every start
 * @param alive          true while its heartbeat lease runs on some queue; a worker whose lease ran out is listed
 *                       until the sweep forgets it, and its tasks go back to their queue at the next sweep
 * @param leaseExpiresAt when its latest lease runs out (Redis's clock)
 * @param queues         the queues it consumes
 * @param tasks          the tasks in its active lists, at most {@code RedisInspector.MOST_HELD_SHOWN} per queue
 */
@RegisterForReflection
@Schema(name = "LiveWorker", description = "A worker registered on queues, and the tasks it holds now.",
        requiredProperties = {"worker", "alive", "queues", "tasks"})
public record LiveWorker(
        @JsonProperty("worker") String worker,
        @JsonProperty("alive") boolean alive,
        @JsonProperty("lease_expires_at") Instant leaseExpiresAt,
        @JsonProperty("queues") List<String> queues,
        @JsonProperty("tasks") List<HeldTask> tasks) {
}

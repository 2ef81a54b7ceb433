package io.aurum.offload.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.task.TaskError;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A task that failed for good (out of attempts, or a failure no retry can mend), or a queued message no worker
 * could read, kept for operators to look at, requeue or delete.
 *
 * @param taskId   the task's id ({@code unreadable-...} for unreadable data)
 * @param job      its job; empty for unreadable data
 * @param queue    the queue it failed on
 * @param tenant   its owner
 * @param attempts how many times it was started
 * @param failedAt when it failed for good
 * @param error    its last error
 */
@RegisterForReflection
@Schema(name = "DeadLetter", description = "A task that failed for good, or queued data no worker could read.",
        requiredProperties = {"task_id", "job", "queue", "tenant", "attempts", "failed_at", "error"})
public record DeadLetter(
        @Schema(description = "The task's id; unreadable-... for unreadable data.")
        @JsonProperty("task_id") String taskId,
        @Schema(description = "Its job; empty for unreadable data.")
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("attempts") long attempts,
        @JsonProperty("failed_at") Instant failedAt,
        @JsonProperty("error") TaskError error) {
}

package io.aurum.offload.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.task.TaskError;
import io.quarkus.runtime.annotations.RegisterForReflection;

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
public record DeadLetter(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("attempts") long attempts,
        @JsonProperty("failed_at") Instant failedAt,
        @JsonProperty("error") TaskError error) {
}

package io.aurum.offload.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.task.TaskState;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A task a worker holds in its active list, with its record's state; {@code state} is {@code STARTED} while it
 * runs, and may be {@code PENDING} for the moment between the take and the start.
 *
 * @param taskId    the task id
 * @param job       its job
 * @param queue     the queue it was taken from
 * @param tenant    its owner
 * @param state     its record's state, or null when the record could not be read
 * @param startedAt when the running attempt started
 * @param attempts  attempts so far, the running one included
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "HeldTask", description = "A task in a worker's active list.",
        requiredProperties = {"task_id", "job", "queue", "attempts"})
public record HeldTask(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @Schema(implementation = TaskState.class, description = "Its record's state; absent when unreadable.")
        @JsonProperty("state") String state,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("attempts") long attempts) {
}

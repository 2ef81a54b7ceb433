package io.aurum.offload.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
public record HeldTask(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("state") String state,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("attempts") long attempts) {
}

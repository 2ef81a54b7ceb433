package io.aurum.offload.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.aurum.offload.task.TaskError;
import io.aurum.offload.task.TaskState;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One of the latest tasks enqueued on a queue, as its record stands now; for operators, so it names the tenant
 * and leaves out payload and result.
 *
 * @param taskId     the task id
 * @param job        its job
 * @param queue      its queue
 * @param tenant     its owner
 * @param state      PENDING, STARTED, RETRY, SUCCESS, FAILURE or REVOKED
 * @param createdAt  when it was accepted
 * @param startedAt  when its latest attempt started
 * @param finishedAt when it finished
 * @param attempts   attempts so far
 * @param error      its error once FAILURE, or the last attempt's while RETRY
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "RecentTask", description = "One of the latest tasks of a queue, for operators: no payload, no result.",
        requiredProperties = {"task_id", "job", "queue", "state", "created_at", "attempts"})
public record RecentTask(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @Schema(implementation = TaskState.class)
        @JsonProperty("state") String state,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("attempts") long attempts,
        @JsonProperty("error") TaskError error) {
}

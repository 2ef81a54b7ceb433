package io.aurum.offload.task;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a client may know about a task. {@code result} is set exactly when the state is SUCCESS, {@code error}
 * exactly when it is FAILURE, or RETRY (the error of the attempt that failed, while the next one waits).
 *
 * @param taskId     the task's id
 * @param job        the job it runs
 * @param queue      the queue it was put on
 * @param state      where it is
 * @param result     the job's result, once SUCCESS
 * @param error      why it failed, once FAILURE; why the last attempt failed, while RETRY
 * @param createdAt  when it was accepted
 * @param startedAt  when its latest attempt started, if any has
 * @param finishedAt when it finished, if it has
 * @param attempts   how many times a worker has started it
 * @param retryAt    when the next attempt is due, while in RETRY
 * @param notBefore  the earliest time it may start, when enqueued with a delay
 * @param progress   the latest progress its job reported, while it runs and after
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "TaskStatus", description = "A task as its owner sees it. Fields without a value are left out.")
public record TaskStatus(
        @Schema(required = true, description = "The task's id, as the enqueue answered it.")
        @JsonProperty("task_id") String taskId,
        @Schema(required = true, description = "The job it runs.")
        @JsonProperty("job") String job,
        @Schema(required = true, description = "The queue it was put on.")
        @JsonProperty("queue") String queue,
        @Schema(required = true, description = "Where the task is; SUCCESS, FAILURE and REVOKED never change again.")
        @JsonProperty("state") TaskState state,
        @Schema(description = "The job's result (a JSON object), once SUCCESS.")
        @JsonProperty("result") ObjectNode result,
        @Schema(description = "Why it failed, once FAILURE; why the last attempt failed, while RETRY.")
        @JsonProperty("error") TaskError error,
        @Schema(required = true, description = "When it was accepted.")
        @JsonProperty("created_at") Instant createdAt,
        @Schema(description = "When its latest attempt started.")
        @JsonProperty("started_at") Instant startedAt,
        @Schema(description = "When it finished.")
        @JsonProperty("finished_at") Instant finishedAt,
        @Schema(required = true, description = "How many times a worker has started it.")
        @JsonProperty("attempts") long attempts,
        @Schema(description = "When the next attempt is due, while RETRY.")
        @JsonProperty("retry_at") Instant retryAt,
        @Schema(description = "The earliest time it may start, when enqueued with countdown or not_before.")
        @JsonProperty("not_before") Instant notBefore,
        @Schema(description = "The latest progress its job reported: any JSON value.")
        @JsonProperty("progress") JsonNode progress) {
}

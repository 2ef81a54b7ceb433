package io.aurum.offload.task;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
public record TaskStatus(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("state") TaskState state,
        @JsonProperty("result") ObjectNode result,
        @JsonProperty("error") TaskError error,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("attempts") long attempts,
        @JsonProperty("retry_at") Instant retryAt,
        @JsonProperty("not_before") Instant notBefore,
        @JsonProperty("progress") JsonNode progress) {
}

package io.aurum.offload.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer to an enqueue.
 *
 * @param taskId    the new task's id
 * @param statusUrl where to poll its status
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(@JsonProperty("task_id") String taskId, @JsonProperty("status_url") String statusUrl) {
}

package io.aurum.offload.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to an enqueue.
 *
 * @param taskId    the new task's id
 * @param statusUrl where to poll its status
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Accepted", description = "An accepted task: poll its status until it is SUCCESS, FAILURE or REVOKED.")
public record Accepted(
        @Schema(required = true, description = "The task's id: 24 URL-safe characters that encode nothing.",
                examples = "mKrnBRhRlbTSt6s7NMWjwl2U")
        @JsonProperty("task_id") String taskId,
        @Schema(description = "Where to read its status, relative to the api (absent on /v1/heavy).",
                examples = "/v1/tasks/mKrnBRhRlbTSt6s7NMWjwl2U")
        @JsonProperty("status_url") String statusUrl) {
}

package io.aurum.offload.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An error answer in the RFC 9457 problem format ({@code application/problem+json}), the only shape in which
 * this api reports a 4xx or 5xx.
 *
 * @param type     a stable URI naming the kind of problem, for programs
 * @param title    a short summary of the kind, for people
 * @param status   the HTTP status
 * @param detail   what went wrong with this request and how to fix it
 * @param instance the request path
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "An RFC 9457 problem document (application/problem+json): the only shape of "
        + "every 4xx and 5xx answer.")
public record Problem(
        @Schema(required = true, description = "A stable URI naming the kind of problem, for programs.",
                examples = "urn:aurum-offload:problem:task-not-found")
        String type,
        @Schema(required = true, description = "A short summary of the kind, for people.", examples = "Task not found")
        String title,
        @Schema(required = true, description = "The HTTP status.", examples = "404")
        int status,
        @Schema(required = true, description = "What went wrong with this request and how to fix it.",
                examples = "No task with this id exists for your tenant.")
        String detail,
        @Schema(description = "The request path.", examples = "/v1/tasks/mKrnBRhRlbTSt6s7NMWjwl2U")
        String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:aurum-offload:problem:";

    static Problem of(int status, String kind, String title, String detail, String instance) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, instance);
    }
}

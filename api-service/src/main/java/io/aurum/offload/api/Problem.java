package io.aurum.offload.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:aurum-offload:problem:";

    static Problem of(int status, String kind, String title, String detail, String instance) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, instance);
    }
}

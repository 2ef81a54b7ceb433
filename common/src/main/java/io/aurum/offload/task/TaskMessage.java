package io.aurum.offload.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A task as it waits in a queue: everything a worker needs to run it and to rebuild its record, so that a worker
 * never depends on the record having been written first. The fields up to {@code created} lead the JSON in this
 * order: the worker's take script reads them by pattern (see {@code WorkerScripts}); new fields go after them.
 *
 * @param id          the task id
 * @param job         the job name
 * @param queue       the queue it was pushed to
 * @param tenant      the owner, empty when none was given
 * @param created     when it was accepted, epoch milliseconds
 * @param payload     the job's input
 * @param traceparent the W3C trace context of its enqueue ({@code traceparent} header format), so the worker's
 *                    spans continue the caller's trace; null in messages from before tracing, or from callers
 *                    outside any trace
 * @param tracestate  the W3C {@code tracestate} that came with it, or null
 */
@RegisterForReflection
public record TaskMessage(
        @JsonProperty("id") String id,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("created") long created,
        @JsonProperty("payload") ObjectNode payload,
        @JsonProperty("traceparent") @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent,
        @JsonProperty("tracestate") @JsonInclude(JsonInclude.Include.NON_NULL) String tracestate) {

    /** A message outside any trace. */
    public TaskMessage(String id, String job, String queue, String tenant, long created, ObjectNode payload) {
        this(id, job, queue, tenant, created, payload, null, null);
    }

    /** This message carrying the given trace context; null values carry none. */
    public TaskMessage withTrace(String traceparent, String tracestate) {
        return new TaskMessage(id, job, queue, tenant, created, payload, traceparent, tracestate);
    }
}

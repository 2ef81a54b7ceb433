package io.aurum.offload.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A task as it waits in a queue: everything a worker needs to run it and to rebuild its record, so that a worker
 * never depends on the record having been written first.
 *
 * @param id      the task id
 * @param job     the job name
 * @param queue   the queue it was pushed to
 * @param tenant  the owner, empty when none was given
 * @param created when it was accepted, epoch milliseconds
 * @param payload the job's input
 */
@RegisterForReflection
public record TaskMessage(
        @JsonProperty("id") String id,
        @JsonProperty("job") String job,
        @JsonProperty("queue") String queue,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("created") long created,
        @JsonProperty("payload") ObjectNode payload) {
}

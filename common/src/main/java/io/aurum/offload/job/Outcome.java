package io.aurum.offload.job;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.TaskError;

/** How one run of a job ended. */
public sealed interface Outcome {

    /** The job returned a result. */
    record Success(ObjectNode result) implements Outcome {
    }

    /** The job threw, returned nothing, or could not be found. */
    record Failure(TaskError error) implements Outcome {
    }
}

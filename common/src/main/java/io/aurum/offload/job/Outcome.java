package io.aurum.offload.job;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.TaskError;

/** How one run of a job ended. */
public sealed interface Outcome {

    /** The job returned a result. */
    record Success(ObjectNode result) implements Outcome {
    }

    /**
     * The job threw, returned nothing, ran out of time, or could not be found.
     *
     * @param error what to show
     * @param cause what the job threw, if it threw; decides with the job's options whether to retry
     */
    record Failure(TaskError error, Throwable cause) implements Outcome {

        public Failure(TaskError error) {
            this(error, null);
        }
    }
}

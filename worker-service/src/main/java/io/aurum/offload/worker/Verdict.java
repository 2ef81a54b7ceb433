package io.aurum.offload.worker;

import io.aurum.offload.task.TaskError;

/** What the worker decided to record for one attempt. */
sealed interface Verdict {

    /** The job returned a result, here already written as JSON. */
    record Succeeded(String resultJson) implements Verdict {
    }

    /** The job failed and earned another attempt at {@code retryAtMs}. */
    record Retry(TaskError error, long retryAtMs) implements Verdict {
    }

    /** The job failed for good: the task ends in FAILURE and goes to the dead letters. */
    record Failed(TaskError error) implements Verdict {
    }
}

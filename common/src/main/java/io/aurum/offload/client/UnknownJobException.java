package io.aurum.offload.client;

import io.aurum.offload.job.JobNames;

/** Enqueue named a job that is not registered. */
public class UnknownJobException extends RuntimeException {

    private final String job;

    public UnknownJobException(String job) {
        super(JobNames.isValid(job)
                ? "No job named '" + job + "' is registered"
                : "Job names are " + JobNames.RULE);
        this.job = job;
    }

    public String job() {
        return job;
    }
}

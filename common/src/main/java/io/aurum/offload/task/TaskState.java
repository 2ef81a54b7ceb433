package io.aurum.offload.task;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a task is in its life, named as Celery names them so that clients written for Celery read them as is.
 * Registered for reflection: Jackson writes it in every task status, and reads its constants' fields to do so.
 */
@RegisterForReflection
public enum TaskState {
    /** Accepted and waiting in its queue. */
    PENDING,
    /** Taken by a worker and running. */
    STARTED,
    /** Failed and waiting for another attempt. */
    RETRY,
    /** Finished with a result. */
    SUCCESS,
    /** Finished with an error. */
    FAILURE,
    /** Cancelled before it could finish. */
    REVOKED;

    /** True once the task will not change any more. */
    public boolean isFinished() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }
}

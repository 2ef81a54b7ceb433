package io.aurum.offload.task;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Why a task failed: a short type (the exception's simple class name, or one of ours such as {@code UnknownJob})
 * and a human message. Never a stack trace: it is shown to clients.
 */
@RegisterForReflection
public record TaskError(String type, String message) {

    private static final int MAX_MESSAGE = 2000;

    public static TaskError of(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return new TaskError(failure.getClass().getSimpleName(), message);
    }

    public static TaskError unknownJob(String job) {
        return new TaskError("UnknownJob", "job '" + job + "' is not registered in this worker");
    }
}

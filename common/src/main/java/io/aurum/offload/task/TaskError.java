package io.aurum.offload.task;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why a task failed: a short type (the exception's simple class name, or one of ours such as {@code UnknownJob})
 * and a human message. Never a stack trace: it is shown to clients.
 */
@RegisterForReflection
@Schema(name = "TaskError", description = "Why a task failed. Never a stack trace.")
public record TaskError(
        @Schema(required = true, description = "The exception's simple class name, or one of ours: UnknownJob, "
                + "TimeLimitExceeded, InvalidResult, UnreadableMessage.", examples = "IllegalStateException")
        String type,
        @Schema(required = true, description = "What went wrong, for people; at most 2000 characters.")
        String message) {

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

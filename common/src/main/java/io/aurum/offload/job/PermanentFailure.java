package io.aurum.offload.job;

/**
 * Thrown by a job whose failure no retry can mend (bad input, a refused request): the task fails at once,
 * whatever its retry policy says.
 */
public class PermanentFailure extends Exception {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

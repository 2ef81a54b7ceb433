package io.aurum.offload.client;

/** Redis could not be reached, or did not answer in time. Worth retrying later; nothing was lost. */
public class BackendUnavailableException extends RuntimeException {

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

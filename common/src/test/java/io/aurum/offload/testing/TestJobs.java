package io.aurum.offload.testing;

import io.aurum.offload.job.JobRegistry;

/** The jobs the backend tests register by hand. */
public final class TestJobs {

    /** Answers with its payload. */
    public static final String ECHO = "echo";

    /** Throws {@link IllegalStateException} with {@link #EXPLODE_MESSAGE}. */
    public static final String EXPLODE = "explode";

    public static final String EXPLODE_MESSAGE = "the reactor is on fire: ☢";

    private TestJobs() {
    }

    /** A registry holding {@link #ECHO} and {@link #EXPLODE}. */
    public static JobRegistry registry() {
        JobRegistry registry = new JobRegistry();
        registry.registerJob(ECHO, (payload, context) -> payload);
        registry.registerJob(EXPLODE, (payload, context) -> {
            throw new IllegalStateException(EXPLODE_MESSAGE);
        });
        return registry;
    }
}

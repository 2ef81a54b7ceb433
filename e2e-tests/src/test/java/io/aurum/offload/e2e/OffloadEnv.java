package io.aurum.offload.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

import io.aurum.offload.testing.RedisServer;

/** Environments for the services, with the real variable names an operator sets. */
final class OffloadEnv {

    private final Map<String, String> variables = new LinkedHashMap<>();

    private OffloadEnv() {
    }

    /** The Redis pipeline with the demo jobs: broker in database 0, results in database 1 (or 0 when shared). */
    static OffloadEnv on(RedisServer redis, boolean sameDatabase) {
        return empty().enabled()
                .with("AURUM_API_OFFLOAD_CELERY_BROKER_URL", redis.url(0))
                .with("AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND", redis.url(sameDatabase ? 0 : 1))
                .with("AURUM_API_OFFLOAD_DEMO_JOBS", "true");
    }

    /** {@link #on(RedisServer, boolean)} with short worker timings, so a dead worker's tasks come back quickly. */
    static OffloadEnv withShortWorkerTimings(RedisServer redis) {
        return on(redis, false)
                .with("AURUM_API_OFFLOAD_WORKER_VISIBILITY_TIMEOUT", "3s")
                .with("AURUM_API_OFFLOAD_WORKER_HEARTBEAT_INTERVAL", "1s")
                .with("AURUM_API_OFFLOAD_WORKER_SWEEP_INTERVAL", "1s");
    }

    static OffloadEnv empty() {
        return new OffloadEnv();
    }

    OffloadEnv enabled() {
        return with("AURUM_API_OFFLOAD_ENABLED", "true");
    }

    OffloadEnv with(String name, String value) {
        variables.put(name, value);
        return this;
    }

    OffloadEnv without(String name) {
        variables.remove(name);
        return this;
    }

    Map<String, String> toMap() {
        return Map.copyOf(variables);
    }
}

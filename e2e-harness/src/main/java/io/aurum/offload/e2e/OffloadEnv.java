package io.aurum.offload.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

import io.aurum.offload.testing.RedisServer;

/** Environments for the services, with the real variable names an operator sets. */
public final class OffloadEnv {

    private final Map<String, String> variables = new LinkedHashMap<>();

    private OffloadEnv() {
    }

    /** The Redis pipeline with the demo jobs: broker in database 0, results in database 1 (or 0 when shared). */
    public static OffloadEnv on(RedisServer redis, boolean sameDatabase) {
        return empty().enabled()
                .with("AURUM_API_OFFLOAD_CELERY_BROKER_URL", redis.url(0))
                .with("AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND", redis.url(sameDatabase ? 0 : 1))
                .with("AURUM_API_OFFLOAD_DEMO_JOBS", "true");
    }

    /** {@link #on(RedisServer, boolean)} with short worker timings, so a dead worker's tasks come back quickly. */
    public static OffloadEnv withShortWorkerTimings(RedisServer redis) {
        return on(redis, false).shortWorkerTimings();
    }

    public static OffloadEnv empty() {
        return new OffloadEnv();
    }

    public OffloadEnv enabled() {
        return with("AURUM_API_OFFLOAD_ENABLED", "true");
    }

    /** Short worker timings, so a dead worker's tasks come back within seconds. */
    public OffloadEnv shortWorkerTimings() {
        return with("AURUM_API_OFFLOAD_WORKER_VISIBILITY_TIMEOUT", "3s")
                .with("AURUM_API_OFFLOAD_WORKER_HEARTBEAT_INTERVAL", "1s")
                .with("AURUM_API_OFFLOAD_WORKER_SWEEP_INTERVAL", "1s");
    }

    public OffloadEnv with(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public OffloadEnv without(String name) {
        variables.remove(name);
        return this;
    }

    public Map<String, String> toMap() {
        return Map.copyOf(variables);
    }
}

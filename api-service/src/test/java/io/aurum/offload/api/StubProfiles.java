package io.aurum.offload.api;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Settings under which the api serves tasks from the in-memory stub; none of them starts a Redis. */
final class StubProfiles {

    /** A closed port: a test passes only if nothing tries to reach Redis. */
    private static final String NO_REDIS = "redis://127.0.0.1:1/0";

    private StubProfiles() {
    }

    /** The default: offload not enabled, so the stub. */
    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aurum.api.offload.enabled", "false",
                    "aurum.api.offload.celery-broker-url", NO_REDIS,
                    "aurum.api.offload.celery-result-backend", NO_REDIS);
        }
    }

    /** The stub in eager mode: jobs run in this process. */
    public static class Eager implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aurum.api.offload.enabled", "false",
                    "aurum.api.offload.stub.eager", "true",
                    "aurum.api.offload.celery-broker-url", NO_REDIS,
                    "aurum.api.offload.celery-result-backend", NO_REDIS);
        }
    }

    /** Offload enabled but the stub forced: the stub wins. */
    public static class Forced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aurum.api.offload.enabled", "true",
                    "aurum.api.offload.use-stub", "true",
                    "aurum.api.offload.celery-broker-url", NO_REDIS,
                    "aurum.api.offload.celery-result-backend", NO_REDIS);
        }
    }
}

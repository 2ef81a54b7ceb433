package io.aurum.offload.api;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Spans recorded and exported, to {@link InMemorySpans} only: the OTLP exporter is left out of this build, so the
 * tests never reach for a collector, and batches go out every 50 ms.
 */
public class TracingOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aurum.api.offload.trace-export", "true",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.bsp.schedule.delay", "50ms");
    }
}

package io.aurum.offload.tracing;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.aurum.offload.config.OffloadSettings;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Decides at startup whether spans are recorded, by {@code aurum.api.offload.trace-export}. Quarkus fixes its
 * exporter and sampler when the service is built, and its OTLP exporter sends every recorded span to
 * {@code localhost:4317} unless told otherwise, logging a warning each time nothing listens there; switching the
 * SDK off instead would stop the trace context from being read at all. A sampler chosen at run time lets one build
 * do both: off, no span is recorded (so the exporter never sends), while trace and span ids are still made and
 * passed on; on, the usual parent-based sampling.
 *
 * <p>Known limitation: a span that is not recorded carries the flag "not sampled", so with exporting off the context
 * passed on (into the task, and from the job onwards) drops a caller's "sampled" flag. Keeping it would mean recording
 * sampled spans, which Quarkus' exporter then sends; exporting is a whole-trace choice, on in both services or off.
 */
@ApplicationScoped
public class TraceSampling {

    /** Quarkus uses this bean in place of the sampler named by {@code quarkus.otel.traces.sampler}. */
    @Produces
    @Singleton
    Sampler sampler(OffloadSettings settings,
            @ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "1.0") double ratio) {
        if (!settings.traceExport()) {
            return Sampler.alwaysOff();
        }
        return Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
    }
}

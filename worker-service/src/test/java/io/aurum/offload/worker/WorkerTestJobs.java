package io.aurum.offload.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.job.JobOptions;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.job.PermanentFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Jobs the worker tests need beyond the demo jobs, registered in the test application at startup. */
@ApplicationScoped
public class WorkerTestJobs {

    /** Throws {@link PermanentFailure} with the payload's {@code message}; would otherwise get five attempts. */
    static final String REFUSE = "refuse";

    /** Sleeps up to a minute in interruptible steps; soft limit 500 ms, hard limit 20 s. */
    static final String POLITE = "polite";

    /** Answers the trace and span id current while it runs: the span its worker runs it in. */
    static final String TRACE_PROBE = "trace_probe";

    /** {@link #TRACE_PROBE} with time limits, so that it runs on a thread of its own. */
    static final String TRACE_PROBE_LIMITED = "trace_probe_limited";

    /** Set when a {@link #POLITE} job saw {@code stopRequested()} after its interruption. */
    static final AtomicBoolean POLITE_SAW_STOP_REQUEST = new AtomicBoolean();

    void register(@Observes StartupEvent startup, JobRegistry registry) {
        registry.registerJob(REFUSE, (payload, context) -> {
            throw new PermanentFailure(payload.path("message").asText("refused"));
        }, JobOptions.DEFAULT.withMaxAttempts(5).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        registry.registerJob(POLITE, (payload, context) -> {
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                POLITE_SAW_STOP_REQUEST.set(context.stopRequested());
                throw e;
            }
            return JsonNodeFactory.instance.objectNode();
        }, JobOptions.DEFAULT.withTimeLimits(Duration.ofMillis(500), Duration.ofSeconds(20)));
        registry.registerJob(TRACE_PROBE, (payload, context) -> currentSpan());
        registry.registerJob(TRACE_PROBE_LIMITED, (payload, context) -> currentSpan(),
                JobOptions.DEFAULT.withTimeLimits(Duration.ofSeconds(10), Duration.ofSeconds(20)));
    }

    private static ObjectNode currentSpan() {
        SpanContext current = Span.current().getSpanContext();
        return JsonNodeFactory.instance.objectNode().put("trace_id", current.getTraceId())
                .put("span_id", current.getSpanId());
    }
}

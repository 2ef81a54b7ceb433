package io.aurum.offload.tracing;

import java.util.HashMap;
import java.util.Map;

import io.aurum.offload.task.TaskMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Carries a task's trace context from its enqueue to its run. The enqueue is a producer span, child of whatever is
 * current (the api's request span, itself a child of the caller's {@code traceparent}); its context travels in the
 * queued message as W3C {@code traceparent} and {@code tracestate}, written into the message before it is pushed,
 * so no Redis call is added. The worker makes its spans children of it.
 *
 * <p>Always the W3C format in the message, whatever propagators the services use over HTTP: the message is our own
 * wire format, and the worker must read what any api version wrote.
 */
@ApplicationScoped
public class TaskTracing {

    /** Instrumentation scope of the spans Aurum Offload makes itself. */
    public static final String SCOPE = "io.aurum.offload";

    public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("aurum.task_id");
    public static final AttributeKey<String> JOB = AttributeKey.stringKey("aurum.job");
    public static final AttributeKey<String> QUEUE = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final Tracer tracer;

    @Inject
    public TaskTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Tracing that records nothing and carries no context, for clients made outside CDI. */
    public static TaskTracing none() {
        return new TaskTracing(OpenTelemetry.noop().getTracer(SCOPE));
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Starts the span of enqueueing {@code message}, a child of the current context; the caller ends it. */
    public Span startEnqueue(TaskMessage message) {
        return tracer.spanBuilder("enqueue " + message.job())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TASK_ID, message.id())
                .setAttribute(JOB, message.job())
                .setAttribute(QUEUE, message.queue())
                .setAttribute(OPERATION, "send")
                .startSpan();
    }

    /** {@code message} carrying the context of {@code span}; unchanged when that context is not valid. */
    public static TaskMessage carrying(TaskMessage message, Span span) {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.root().with(span), carrier, Map::put);
        if (carrier.get(TRACEPARENT) == null) {
            return message;
        }
        return message.withTrace(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }

    /**
     * The context {@code message} carries, as the parent of the worker's spans; the root context when it carries
     * none, or one that is not valid W3C (such a value is ignored, never an error).
     */
    public static Context parentOf(TaskMessage message) {
        if (message.traceparent() == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), message, MessageFields.INSTANCE);
    }

    /** Reads the two W3C fields of a message as if they were headers. */
    private enum MessageFields implements TextMapGetter<TaskMessage> {
        INSTANCE;

        @Override
        public Iterable<String> keys(TaskMessage message) {
            return java.util.List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TaskMessage message, String key) {
            if (message == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> message.traceparent();
                case TRACESTATE -> message.tracestate();
                default -> null;
            };
        }
    }
}

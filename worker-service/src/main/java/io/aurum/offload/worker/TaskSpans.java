package io.aurum.offload.worker;

import java.util.concurrent.TimeUnit;

import io.aurum.offload.task.TaskMessage;
import io.aurum.offload.tracing.TaskTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The worker's part of a task's trace: for each attempt a consumer span {@code run JOB}, a child of the enqueue
 * span the message carries (see {@link TaskTracing}), and before the first attempt a span {@code wait QUEUE} from
 * the enqueue to the start, so one trace shows enqueue, wait and run. A message without trace context, or with one
 * that cannot be read, starts a trace of its own.
 */
@ApplicationScoped
class TaskSpans {

    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("aurum.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aurum.outcome");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Tracer tracer;

    @Inject
    TaskSpans(TaskTracing tracing) {
        this.tracer = tracing.tracer();
    }

    /**
     * Opens the span of an attempt that started at {@code startedAtMs} and makes it current on this thread, so that
     * the lines logged about it carry its trace id and what the job calls joins its trace. Close it on this thread.
     */
    Attempt begin(TaskMessage message, long attempt, long startedAtMs) {
        Context parent = TaskTracing.parentOf(message);
        if (attempt == 1) {
            // Known limitation: the wait runs from the api host's clock to this one's, so a skew between them shows
            // in it; a start before the enqueue shows as no wait at all.
            long waitStart = Math.min(message.created(), startedAtMs);
            tracer.spanBuilder("wait " + message.queue())
                    .setParent(parent)
                    .setStartTimestamp(waitStart, TimeUnit.MILLISECONDS)
                    .setAttribute(TaskTracing.TASK_ID, message.id())
                    .setAttribute(TaskTracing.QUEUE, message.queue())
                    .startSpan()
                    .end(startedAtMs, TimeUnit.MILLISECONDS);
        }
        Span run = tracer.spanBuilder("run " + message.job())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(startedAtMs, TimeUnit.MILLISECONDS)
                .setAttribute(TaskTracing.TASK_ID, message.id())
                .setAttribute(TaskTracing.JOB, message.job())
                .setAttribute(TaskTracing.QUEUE, message.queue())
                .setAttribute(TaskTracing.OPERATION, "process")
                .setAttribute(ATTEMPT, attempt)
                .startSpan();
        return new Attempt(run, parent.with(run).makeCurrent());
    }

    /** An attempt's open span and its scope on the processor's thread. */
    record Attempt(Span span, Scope scope) {

        /** Notes how the attempt ended: the outcome recorded, and the error type when it failed. */
        void endedAs(String outcome, String errorType) {
            span.setAttribute(OUTCOME, outcome);
            if (errorType != null) {
                span.setAttribute(ERROR_TYPE, errorType);
                span.setStatus(StatusCode.ERROR, errorType);
            }
        }

        /** Ends the span and leaves its scope; on the thread that began it. */
        void close() {
            span.end();
            scope.close();
        }
    }
}

package io.aurum.offload.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.aurum.offload.testing.RedisTestResource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * By default nothing is recorded or exported, yet the caller's trace still reaches the queued message: its trace id,
 * with a span id of the api's and the sampled flag off, so the worker's log lines carry the caller's trace id.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class TraceContextWithoutExportTest {

    @Inject
    InMemorySpanExporter spans;
    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void carriesTheCallersTraceIdIntoTheMessageWithoutRecordingSpans() throws Exception {
        String taskId = TraceContextTest.enqueue(TraceContextTest.CALLER, null).jsonPath().getString("task_id");

        String traceparent = WorkerRecords.queuedMessage(taskId).path("traceparent").asText();
        assertThat(traceparent).matches("00-" + TraceContextTest.CALLER_TRACE + "-[0-9a-f]{16}-00")
                .doesNotContain(TraceContextTest.CALLER_SPAN);
        ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}

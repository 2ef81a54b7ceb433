package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.aurum.offload.testing.RedisTestResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * With exporting on, an enqueue is a span in the caller's trace, and the queued message carries that span's context
 * for the worker, in the message itself (no Redis call of its own).
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(RedisTestResource.class)
class TraceContextTest {

    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final String CALLER = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void forgetEarlierSpans() {
        spans.reset();
    }

    @Test
    void queuesTheMessageWithTheContextOfTheEnqueueSpanInTheCallersTrace() throws Exception {
        String taskId = enqueue(CALLER, "vendor=value").jsonPath().getString("task_id");

        JsonNode message = WorkerRecords.queuedMessage(taskId);
        SpanData enqueue = awaitSpan("enqueue heavy_compute", taskId);
        SpanData request = awaitSpanWithId(enqueue.getParentSpanId());
        assertThat(enqueue.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(enqueue.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(message.path("traceparent").asText())
                .isEqualTo("00-" + CALLER_TRACE + "-" + enqueue.getSpanId() + "-01");
        assertThat(message.path("tracestate").asText()).isEqualTo("vendor=value");
    }

    @Test
    void startsATraceOfItsOwnForACallerOutsideAnyTrace() throws Exception {
        String taskId = enqueue(null, null).jsonPath().getString("task_id");

        JsonNode message = WorkerRecords.queuedMessage(taskId);
        SpanData enqueue = awaitSpan("enqueue heavy_compute", taskId);
        assertThat(message.path("traceparent").asText())
                .isEqualTo("00-" + enqueue.getTraceId() + "-" + enqueue.getSpanId() + "-01");
        assertThat(message.has("tracestate")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-zzzz-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    void ignoresATraceparentItCannotRead(String garbled) throws Exception {
        Response response = enqueue(garbled, "not a tracestate ===");

        assertThat(response.statusCode()).isEqualTo(202);
        String taskId = response.jsonPath().getString("task_id");
        SpanData enqueue = awaitSpan("enqueue heavy_compute", taskId);
        assertThat(enqueue.getTraceId()).isNotEqualTo(CALLER_TRACE);
        assertThat(WorkerRecords.queuedMessage(taskId).path("traceparent").asText())
                .startsWith("00-" + enqueue.getTraceId() + "-");
    }

    @Test
    void readsAStatusWithATraceparentAsAnyOtherRead() {
        String taskId = enqueue(CALLER, null).jsonPath().getString("task_id");

        Response status = given().header("X-Aurum-Tenant", "acme").header("traceparent", "garbage")
                .get("/v1/tasks/{id}", taskId);

        assertThat(status.statusCode()).isEqualTo(202);
    }

    static Response enqueue(String traceparent, String tracestate) {
        var request = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{\"n\":1}");
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        if (tracestate != null) {
            request.header("tracestate", tracestate);
        }
        return request.post("/v1/jobs/{job}", "heavy_compute");
    }

    private SpanData awaitSpan(String name, String taskId) {
        return awaitFirst(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .filter(span -> taskId.equals(span.getAttributes().get(
                        io.aurum.offload.tracing.TaskTracing.TASK_ID)))
                .findFirst(), name + " of " + taskId);
    }

    private SpanData awaitSpanWithId(String spanId) {
        return awaitFirst(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getSpanId().equals(spanId)).findFirst(), "span " + spanId);
    }

    private SpanData awaitFirst(java.util.function.Supplier<Optional<SpanData>> find, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<SpanData> found = find.get();
        while (found.isEmpty()) {
            List<String> seen = spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
            assertThat(System.nanoTime()).as("%s exported within %s; seen %s", what, WAIT, seen)
                    .isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            found = find.get();
        }
        return found.get();
    }
}

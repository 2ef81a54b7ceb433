package io.aurum.offload.worker;

import static io.aurum.offload.worker.WorkerTasks.awaitFinished;
import static io.aurum.offload.worker.WorkerTasks.awaitTrue;
import static io.aurum.offload.worker.WorkerTasks.message;
import static io.aurum.offload.worker.WorkerTasks.pushPending;
import static io.aurum.offload.worker.WorkerTasks.redis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.RedisTestResource;
import io.aurum.offload.tracing.TaskTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The worker continues the trace a message carries: each attempt's run, and the first one's wait in the queue, are
 * children of the enqueue span, and the job runs inside the run span.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(RedisTestResource.class)
class TaskTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String ENQUEUE_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + ENQUEUE_SPAN + "-01";

    @Inject
    OffloadClient client;
    @Inject
    TaskIds ids;
    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void emptyRedisAndSpans() {
        redis().command("FLUSHALL");
        spans.reset();
    }

    @Test
    void runsTheTaskInAChildOfTheEnqueueSpanItsMessageCarries() {
        String id = push(WorkerTestJobs.TRACE_PROBE, TRACEPARENT);

        TaskStatus status = awaitFinished(client, id, "acme");

        SpanData run = onlySpan("run " + WorkerTestJobs.TRACE_PROBE, id);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(run.getTraceId()).isEqualTo(TRACE);
        assertThat(run.getParentSpanId()).isEqualTo(ENQUEUE_SPAN);
        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getAttributes().get(TaskSpans.ATTEMPT)).isEqualTo(1L);
        assertThat(run.getAttributes().get(TaskSpans.OUTCOME)).isEqualTo("SUCCESS");
        assertThat(status.result().path("trace_id").asText()).isEqualTo(TRACE);
        assertThat(status.result().path("span_id").asText()).isEqualTo(run.getSpanId());
    }

    @Test
    void showsTheWaitInTheQueueBeforeTheRunInTheSameTrace() {
        String id = push(WorkerTestJobs.TRACE_PROBE, TRACEPARENT);

        awaitFinished(client, id, "acme");

        SpanData run = onlySpan("run " + WorkerTestJobs.TRACE_PROBE, id);
        SpanData wait = onlySpan("wait default", id);
        assertThat(wait.getTraceId()).isEqualTo(TRACE);
        assertThat(wait.getParentSpanId()).isEqualTo(ENQUEUE_SPAN);
        assertThat(wait.getEndEpochNanos()).isEqualTo(run.getStartEpochNanos());
        assertThat(wait.getStartEpochNanos()).isLessThanOrEqualTo(wait.getEndEpochNanos());
    }

    @Test
    void runsAJobWithTimeLimitsOnItsOwnThreadInTheRunSpanToo() {
        String id = push(WorkerTestJobs.TRACE_PROBE_LIMITED, TRACEPARENT);

        TaskStatus status = awaitFinished(client, id, "acme");

        SpanData run = onlySpan("run " + WorkerTestJobs.TRACE_PROBE_LIMITED, id);
        assertThat(status.result().path("span_id").asText()).isEqualTo(run.getSpanId());
    }

    @Test
    void givesEveryAttemptItsRunSpanUnderTheSameEnqueueAndMarksTheFailedOne() {
        String id = push("flaky", TRACEPARENT, "{\"failures\":1}");

        assertThat(awaitFinished(client, id, "acme").state()).isEqualTo(TaskState.SUCCESS);

        List<SpanData> runs = awaitSpans("run flaky", id, 2).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(TaskSpans.ATTEMPT))).toList();
        assertThat(runs).allSatisfy(run -> assertThat(run.getParentSpanId()).isEqualTo(ENQUEUE_SPAN));
        assertThat(runs.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(runs.get(0).getAttributes().get(TaskSpans.OUTCOME)).isEqualTo("RETRY");
        assertThat(runs.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(awaitSpans("wait default", id, 1)).hasSize(1);
    }

    @Test
    void runsAMessageFromBeforeTracingInATraceOfItsOwn() {
        String id = push(WorkerTestJobs.TRACE_PROBE, null);

        TaskStatus status = awaitFinished(client, id, "acme");

        SpanData run = onlySpan("run " + WorkerTestJobs.TRACE_PROBE, id);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(status.result().path("trace_id").asText()).isEqualTo(run.getTraceId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"})
    void ignoresATraceparentItCannotRead(String garbled) {
        String id = push(WorkerTestJobs.TRACE_PROBE, garbled);

        TaskStatus status = awaitFinished(client, id, "acme");

        SpanData run = onlySpan("run " + WorkerTestJobs.TRACE_PROBE, id);
        assertThat(status.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(run.getTraceId()).isNotEqualTo(TRACE);
    }

    private String push(String job, String traceparent) {
        return push(job, traceparent, "{}");
    }

    /** Queues a message written by hand, as an api would, with the given trace context or none. */
    private String push(String job, String traceparent, String payload) {
        String id = ids.next();
        String message = message(id, job, "acme", payload);
        if (traceparent != null) {
            message = message.substring(0, message.length() - 1) + ",\"traceparent\":\"" + traceparent + "\"}";
        }
        pushPending(message);
        return id;
    }

    private SpanData onlySpan(String name, String taskId) {
        return awaitSpans(name, taskId, 1).getFirst();
    }

    /** The spans named {@code name} of the task, once there are {@code count}; fails if there are more. */
    private List<SpanData> awaitSpans(String name, String taskId, int count) {
        awaitTrue(count + " spans " + name + " of " + taskId, () -> spansOf(name, taskId).size() >= count);
        List<SpanData> found = spansOf(name, taskId);
        assertThat(found).hasSize(count);
        return found;
    }

    private List<SpanData> spansOf(String name, String taskId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name))
                .filter(span -> taskId.equals(span.getAttributes().get(TaskTracing.TASK_ID))).toList();
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The api as a client sees it: enqueue a job, read a task's status (optionally long-polling). */
final class ApiClient {

    static final String TENANT = "tenant-bench";

    /**
     * One status answer.
     *
     * @param httpStatus 200 when finished, 202 while not
     * @param state the task's state
     */
    record Status(int httpStatus, String state) {

        boolean succeeded() {
            return httpStatus == 200 && "SUCCESS".equals(state);
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(35);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI base;

    ApiClient(URI base) {
        this.base = base;
    }

    URI jobUri(String job) {
        return base.resolve("/v1/jobs/" + job);
    }

    URI taskUri(String taskId) {
        return base.resolve("/v1/tasks/" + taskId);
    }

    /** Enqueues {@code job} with {@code body} and returns the task id; fails on anything but 202. */
    String enqueue(String job, String body) {
        HttpResponse<String> response = send(enqueueRequest(job, body));
        return taskId(response);
    }

    /** The task's status now, or, with {@code waitSeconds} above zero, when it finishes or the wait runs out. */
    Status status(String taskId, double waitSeconds) {
        URI uri = taskUri(taskId);
        if (waitSeconds > 0) {
            uri = URI.create(uri + "?wait=" + waitSeconds);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("X-Aurum-Tenant", TENANT).GET().build();
        HttpResponse<String> response = send(request);
        return new Status(response.statusCode(), read(response.body()).path("state").asText());
    }

    /**
     * Enqueues {@code count} jobs with at most {@code inFlight} requests open at once and returns the ids of those
     * answered 202; {@code failures} counts the others. Bounded by {@code atMost}.
     */
    List<String> enqueueMany(String job, int count, int inFlight, Duration atMost, AtomicLong failures) {
        List<String> ids = Collections.synchronizedList(new ArrayList<>(count));
        Semaphore slots = new Semaphore(inFlight);
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            for (int i = 0; i < count; i++) {
                if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("Enqueueing " + count + " jobs took over " + atMost);
                }
                http.sendAsync(enqueueRequest(job, "{\"i\":" + i + "}"), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, error) -> {
                            try {
                                if (error == null && response.statusCode() == 202) {
                                    ids.add(taskId(response));
                                } else {
                                    failures.incrementAndGet();
                                }
                            } finally {
                                slots.release();
                            }
                        });
            }
            if (!slots.tryAcquire(inFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("Enqueueing " + count + " jobs took over " + atMost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while enqueueing", e);
        }
        return List.copyOf(ids);
    }

    private HttpRequest enqueueRequest(String job, String body) {
        return HttpRequest.newBuilder(jobUri(job)).timeout(REQUEST_TIMEOUT)
                .header("X-Aurum-Tenant", TENANT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String taskId(HttpResponse<String> response) {
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Enqueue answered " + response.statusCode() + ": " + response.body());
        }
        return read(response.body()).path("task_id").asText();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + body, e);
        }
    }
}

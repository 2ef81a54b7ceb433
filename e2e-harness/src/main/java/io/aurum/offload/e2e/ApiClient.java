package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The api's HTTP surface as a client sees it: submit a job, read a task. Blocking; safe across threads. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient http;

    /** A client of the api at {@code base} ({@code http://127.0.0.1:PORT/}). */
    public ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client of an api process this test started. */
    public ApiClient(ServiceProcess api) {
        this(api.baseUri());
    }

    /** A task the api accepted: its id, the tenant that owns it and the {@code Location} to poll. */
    public record Submitted(String taskId, String tenant, URI location, ObjectNode payload) {
    }

    /** One answer of {@code GET /v1/tasks/{id}}. */
    public record TaskView(int status, JsonNode body) {

        public String state() {
            return body.path("state").asText(null);
        }

        public long attempts() {
            return body.path("attempts").asLong();
        }

        public boolean isFinished() {
            return status == 200;
        }
    }

    /** POSTs the payload to {@code /v1/jobs/{job}} and insists on 202 with the task id and a Location. */
    public Submitted submit(String job, String tenant, ObjectNode payload) {
        HttpResponse<String> response = post(job, tenant, payload);
        return accepted(response, tenant, payload);
    }

    /** POSTs the payload to {@code /v1/jobs/{job}} and returns whatever the api answered. */
    public HttpResponse<String> post(String job, String tenant, ObjectNode payload) {
        return post(job, tenant, payload, Map.of());
    }

    /** {@link #post(String, String, ObjectNode)} with more headers, such as a caller's {@code traceparent}. */
    public HttpResponse<String> post(String job, String tenant, ObjectNode payload, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/jobs/" + job)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("X-Aurum-Tenant", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString()));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** GETs a path of the api with no tenant, such as {@code /q/openapi}. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    /** The task of an enqueue answer, insisting on 202 with the task id and a Location. */
    public static Submitted accepted(HttpResponse<String> response, String tenant, ObjectNode payload) {
        assertThat(response.statusCode()).as("enqueue answer %s", response.body()).isEqualTo(202);
        JsonNode body = parse(response.body());
        String taskId = body.path("task_id").asText();
        URI location = response.headers().firstValue("Location").map(URI::create).orElse(null);
        assertThat(location).as("Location of task %s", taskId).isNotNull();
        assertThat(location.getPath()).isEqualTo("/v1/tasks/" + taskId).isEqualTo(body.path("status_url").asText());
        return new Submitted(taskId, tenant, location, payload);
    }

    /** GETs the task's Location as its tenant. */
    public TaskView status(Submitted task) {
        return status(task.location(), task.tenant());
    }

    public TaskView status(URI location, String tenant) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(location)).timeout(REQUEST_TIMEOUT)
                .header("X-Aurum-Tenant", tenant).GET().build();
        HttpResponse<String> response = send(request);
        return new TaskView(response.statusCode(), parse(response.body()));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.uri(), e);
        }
    }

    public static JsonNode parse(String body) {
        try {
            return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + body, e);
        }
    }
}

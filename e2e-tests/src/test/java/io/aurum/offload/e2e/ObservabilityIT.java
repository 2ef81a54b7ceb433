package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.ServiceProcess.Service;

/**
 * The packaged services as a cluster runs them: JSON logs switched on by Quarkus' own variable, each task event a
 * line whose fields a log pipeline can filter on, the caller's trace id in both services' lines while exporting is
 * off (the default), and the api's OpenAPI document and Swagger UI served by the production build.
 */
class ObservabilityIT {

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private E2eSystem system;

    @AfterEach
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void logsEachTaskEventAsJsonWithItsFieldsAndTheCallersTraceId() {
        system = new E2eSystem("json-logs");
        OffloadEnv env = OffloadEnv.on(system.redis(), false).with("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        ServiceProcess apiProcess = system.start(Service.API, env);
        ServiceProcess worker = system.start(Service.WORKER, env);
        ApiClient api = new ApiClient(apiProcess);

        Submitted task = ApiClient.accepted(api.post("sleep", "acme",
                JsonNodeFactory.instance.objectNode().put("ms", 50), Map.of("traceparent", TRACEPARENT)), "acme", null);
        TaskView done = awaitFinished(api, task);

        assertThat(done.state()).isEqualTo("SUCCESS");
        JsonNode pending = awaitEvent(apiProcess, task.taskId(), "PENDING");
        JsonNode started = awaitEvent(worker, task.taskId(), "STARTED");
        JsonNode success = awaitEvent(worker, task.taskId(), "SUCCESS");
        assertThat(List.of(pending, started, success)).allSatisfy(line -> {
            JsonNode mdc = line.path("mdc");
            assertThat(mdc.path("job").asText()).isEqualTo("sleep");
            assertThat(mdc.path("queue").asText()).isEqualTo("default");
            assertThat(mdc.path("traceId").asText()).as("trace id of %s", line).isEqualTo(CALLER_TRACE);
            assertThat(line.path("message").asText()).startsWith("task " + mdc.path("task_event").asText()
                    + " id=" + task.taskId());
        });
        assertThat(started.path("mdc").path("attempt").asText()).isEqualTo("1");
        assertThat(started.path("mdc").has("wait_ms")).isTrue();
        assertThat(success.path("mdc").path("attempt").asText()).isEqualTo("1");
        assertThat(Long.parseLong(success.path("mdc").path("duration_ms").asText())).isGreaterThanOrEqualTo(50);
        assertThat(success.path("level").asText()).isEqualTo("INFO");
        assertEveryLineIsJson(apiProcess);
        assertEveryLineIsJson(worker);
        assertThat(apiProcess.output() + worker.output()).as("no exporter at work by default")
                .doesNotContain("Failed to export");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void servesTheOpenApiDocumentAndSwaggerUiInProduction() {
        system = new E2eSystem("api-docs");
        ApiClient api = new ApiClient(system.start(Service.API, OffloadEnv.on(system.redis(), false)));

        HttpResponse<String> document = api.get("/q/openapi?format=json");
        HttpResponse<String> swaggerUi = api.get("/q/swagger-ui/");

        assertThat(document.statusCode()).isEqualTo(200);
        JsonNode openApi = ApiClient.parse(document.body());
        assertThat(openApi.path("paths").has("/v1/jobs/{job}")).isTrue();
        assertThat(openApi.path("info").path("title").asText()).isEqualTo("Aurum Offload API");
        assertThat(swaggerUi.statusCode()).isEqualTo(200);
        assertThat(swaggerUi.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    }

    private static TaskView awaitFinished(ApiClient api, Submitted task) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TaskView view = api.status(task);
        while (!view.isFinished()) {
            assertThat(System.nanoTime()).as("task %s finished within %s: %s", task.taskId(), WAIT, view.body())
                    .isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(50));
            view = api.status(task);
        }
        return view;
    }

    /** The JSON line of the task's event in the service's output; the last lines may lag the status a little. */
    private static JsonNode awaitEvent(ServiceProcess service, String taskId, String event) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonNode> found = jsonLines(service).stream()
                    .filter(line -> taskId.equals(line.path("mdc").path("task_id").asText()))
                    .filter(line -> event.equals(line.path("mdc").path("task_event").asText())).toList();
            if (!found.isEmpty()) {
                assertThat(found).as("%s lines of %s in %s", event, taskId, service).hasSize(1);
                return found.getFirst();
            }
            assertThat(System.nanoTime()).as("%s logged %s of %s", service, event, taskId).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(100));
        }
    }

    private static void assertEveryLineIsJson(ServiceProcess service) {
        List<String> lines = service.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(line -> assertThat(parse(line).isObject()).as(line).isTrue());
    }

    /** The service's lines so far; one it is still writing is left for the next look. */
    private static List<JsonNode> jsonLines(ServiceProcess service) {
        return service.output().lines().filter(line -> line.startsWith("{") && line.endsWith("}"))
                .map(ObservabilityIT::parse).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return ApiClient.JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}

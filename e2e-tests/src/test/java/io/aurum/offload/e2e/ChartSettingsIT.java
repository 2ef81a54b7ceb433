package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.deploy.ContainerEnvironment;
import io.aurum.offload.deploy.HelmChart;
import io.aurum.offload.deploy.RenderedChart;
import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.ServiceProcess.Service;
import io.aurum.offload.testing.RedisServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The packaged api and worker started with exactly the environment the Helm chart gives their pods: the chart is
 * rendered by Helm's engine with its default values plus the two passwords (which go to the chart-created Secret),
 * and each container's environment is worked out from the rendered Deployment, ConfigMap and Secret as the kubelet
 * would.
 *
 * <p>Only where the services are reached is changed: the chart's Redis host ({@code redis-master}, a Service name
 * in a cluster) becomes a private {@code redis-server} on loopback, started with the chart's Redis password as
 * {@code --requirepass}, keeping the URLs' scheme, database and query; and the services listen on free loopback
 * ports instead of 8080 and 8081, which other processes on a shared machine may hold. Everything else, passwords
 * included, is what a pod would get.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChartSettingsIT {

    private static final List<String> REDIS_URLS = List.of("AURUM_API_OFFLOAD_CELERY_BROKER_URL",
            "AURUM_API_OFFLOAD_CELERY_RESULT_BACKEND");
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);

    private final String redisPassword = randomPassword();
    private final String adminPassword = randomPassword();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private E2eSystem system;
    private RenderedChart chart;
    private ServiceProcess api;
    private ServiceProcess worker;

    @BeforeAll
    void startThePairWithTheChartsSettings(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("passwords.yaml"),
                "auth:\n  redisPassword: \"%s\"\n  adminPassword: \"%s\"\n".formatted(redisPassword, adminPassword));
        chart = HelmChart.at(Path.of(System.getProperty("aurum.chart.dir"))).render(List.of(values));
        ContainerEnvironment kubelet = new ContainerEnvironment(chart, Map.of());
        system = new E2eSystem("chart-settings");
        RedisServer redis = system.redisWithPassword(redisPassword);

        api = system.start(Service.API, onLoopback(kubelet.of(chart.deployment("api")), redis));
        // The harness gives each process its own free loopback port in place of the chart's 8080/8081.
        worker = system.start(Service.WORKER, onLoopback(kubelet.of(chart.deployment("worker")), redis));
    }

    @AfterAll
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aJobEnqueuedThroughTheApiEndsSuccessOnTheWorker() {
        ApiClient client = new ApiClient(api);

        Submitted task = client.submit("heavy_compute", "chart-tenant", ApiClient.JSON.createObjectNode().put("n", 9));
        TaskView last = new TaskBatch(client, 1).awaitFinished(List.of(task), FINISH_TIMEOUT).get(task.taskId());

        assertThat(last.state()).as("task %s", last.body()).isEqualTo("SUCCESS");
        assertThat(last.body().path("queue").asText()).isEqualTo("default");
        assertThat(last.body().path("result").path("input")).isEqualTo(task.payload());
        // The databases the chart's URLs name: the broker in 0 (the worker's lease), results in 1 (the record).
        assertThat(system.redis().command(0, "EXISTS", "aurum:{q:default}:workers")).isEqualTo("1");
        assertThat(system.redis().command(1, "EXISTS", "aurum:{t:" + task.taskId() + "}")).isEqualTo("1");
    }

    @Test
    void theAdminEndpointsOpenToTheAdminPasswordOfTheSecretAndNoOther() {
        assertThat(adminQueues(adminPassword).statusCode()).isEqualTo(200);
        assertThat(adminQueues(adminPassword + "x").statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "worker"})
    void theProbesTheDeploymentNamesAnswerUp(String component) throws IOException {
        Deployment deployment = chart.deployment(component);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        int localPort = (component.equals("api") ? api : worker).baseUri().getPort();

        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            HttpResponse<String> answer = get(URI.create("http://127.0.0.1:" + localPort
                    + probe.getHttpGet().getPath()), null);

            assertThat(answer.statusCode()).as("%s %s: %s", component, probe.getHttpGet().getPath(), answer.body())
                    .isEqualTo(200);
            assertThat(ApiClient.parse(answer.body()).path("status").asText()).isEqualTo("UP");
        }
    }

    /** The pod's environment with only the Redis host and port replaced by the private server's. */
    private static OffloadEnv onLoopback(Map<String, String> podEnvironment, RedisServer redis) {
        Map<String, String> environment = new LinkedHashMap<>(podEnvironment);
        for (String key : REDIS_URLS) {
            assertThat(environment).as("the chart sets %s", key).containsKey(key);
            environment.put(key, withHostAndPort(environment.get(key), redis.port()));
        }
        OffloadEnv env = OffloadEnv.empty();
        environment.forEach(env::with);
        return env;
    }

    private static String withHostAndPort(String url, int port) {
        URI uri = URI.create(url);
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), "127.0.0.1", port, uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url, e);
        }
    }

    private HttpResponse<String> adminQueues(String password) {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + password)
                .getBytes(StandardCharsets.UTF_8));
        return get(api.baseUri().resolve("/v1/admin/queues"), "Basic " + credentials);
    }

    private HttpResponse<String> get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + uri, e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

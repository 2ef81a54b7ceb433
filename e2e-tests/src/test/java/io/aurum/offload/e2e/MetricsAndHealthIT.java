package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.ServiceProcess.Service;
import io.aurum.offload.e2e.TaskBatch.Order;
import io.aurum.offload.testing.PrometheusScrape;

/**
 * Metrics and health of the packaged api and two workers, each its own process on its own port, on a private
 * redis-server: after some jobs ran, {@code /q/metrics} of each shows what it did (the api what it enqueued, the
 * workers what they ran), the queue gauges show the two workers and the dead letter; the health endpoints say ready,
 * then not ready (yet alive) while Redis is down, and ready again once it is back.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MetricsAndHealthIT {

    private static final String TENANT = "tenant-metrics";
    private static final int NOOPS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private E2eSystem system;

    @AfterEach
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void eachProcessPublishesWhatItDidAndTheQueueGaugesWhatRedisHolds() {
        system = new E2eSystem("metrics");
        OffloadEnv env = OffloadEnv.on(system.redis(), false)
                .with("AURUM_API_OFFLOAD_METRICS_GAUGE_MAX_AGE", "200ms");
        ServiceProcess api = system.start(Service.API, env);
        List<ServiceProcess> workers = List.of(system.start(Service.WORKER, env), system.start(Service.WORKER, env));
        TaskBatch batch = new TaskBatch(new ApiClient(api), 4);

        List<Order> orders = Stream.concat(IntStream.range(0, NOOPS).mapToObj(i -> new Order("noop", TENANT,
                        JsonNodeFactory.instance.objectNode().put("i", i))),
                Stream.of(new Order("fail", TENANT, JsonNodeFactory.instance.objectNode()))).toList();
        List<Submitted> tasks = batch.submit(orders);
        Map<String, TaskView> finished = batch.awaitFinished(tasks, WAIT);
        assertThat(finished.values()).extracting(TaskView::state).containsOnly("SUCCESS", "FAILURE");

        PrometheusScrape apiScrape = scrape(api);
        assertThat(apiScrape.sum("aurum_tasks_enqueued_total", "job", "noop", "queue", "default")).isEqualTo(NOOPS);
        assertThat(apiScrape.sum("aurum_tasks_enqueued_total", "job", "fail", "queue", "default")).isEqualTo(1);
        assertThat(apiScrape.matching("aurum_tasks_started_total")).as("the api runs nothing").isEmpty();

        // A worker counts an attempt just after storing its outcome, so the sums may trail the task states briefly.
        awaitWorkers(workers, "every attempt counted",
                sum -> sum.count("aurum_tasks_succeeded_total", "noop") == NOOPS
                        && sum.count("aurum_tasks_failed_total", "fail") == 1);
        WorkerSum sum = WorkerSum.of(workers);
        assertThat(sum.count("aurum_tasks_started_total", "noop")).isEqualTo(NOOPS);
        assertThat(sum.count("aurum_tasks_started_total", "fail")).isEqualTo(3);
        assertThat(sum.count("aurum_tasks_retried_total", "fail")).isEqualTo(2);
        assertThat(sum.count("aurum_task_queue_wait_seconds_count", "noop")).isEqualTo(NOOPS);
        assertThat(sum.outcome("aurum_task_run_seconds_count", "noop", "success")).isEqualTo(NOOPS);
        assertThat(sum.outcome("aurum_task_run_seconds_bucket", "noop", "success", "le", "+Inf")).isEqualTo(NOOPS);
        assertThat(sum.outcome("aurum_task_enqueue_to_finish_seconds_count", "noop", "success")).isEqualTo(NOOPS);
        assertThat(sum.outcome("aurum_task_run_seconds_count", "fail", "retry")).isEqualTo(2);
        assertThat(sum.outcome("aurum_task_enqueue_to_finish_seconds_count", "fail", "failure")).isEqualTo(1);

        for (ServiceProcess process : List.of(api, workers.get(0), workers.get(1))) {
            PrometheusScrape scrape = awaitGauge(process, "aurum_workers_alive", 2);
            assertThat(scrape.sum("aurum_queue_dead_letters", "queue", "default")).as("%s", process).isEqualTo(1);
            assertThat(scrape.sum("aurum_queue_depth", "queue", "default")).as("%s", process).isZero();
            assertThat(scrape.toString()).as("no tenant or task id in %s", process).doesNotContain(TENANT)
                    .doesNotContain(tasks.getFirst().taskId());
        }
    }

    @Test
    void readinessFollowsRedisWhileLivenessStaysUp() {
        system = new E2eSystem("health");
        OffloadEnv env = OffloadEnv.on(system.redis(), false);
        ServiceProcess api = system.start(Service.API, env);
        ServiceProcess worker = system.start(Service.WORKER, env);
        List<ServiceProcess> both = List.of(api, worker);

        for (ServiceProcess process : both) {
            assertThat(get(process, "/q/health/ready").statusCode()).as("%s ready", process).isEqualTo(200);
            assertThat(get(process, "/q/health/live").statusCode()).as("%s live", process).isEqualTo(200);
            assertThat(get(process, "/q/health/started").statusCode()).as("%s started", process).isEqualTo(200);
        }
        JsonNode workerReady = ApiClient.parse(get(worker, "/q/health/ready").body());
        assertThat(workerReady.path("checks").findValuesAsText("name")).contains("redis", "consumers");

        system.redis().kill();
        for (ServiceProcess process : both) {
            awaitStatus(process, "/q/health/ready", 503);
            assertThat(get(process, "/q/health/live").statusCode()).as("%s live without Redis", process)
                    .isEqualTo(200);
        }

        system.redis().restart();
        for (ServiceProcess process : both) {
            awaitStatus(process, "/q/health/ready", 200);
            assertThat(process.isAlive()).as("%s kept running", process).isTrue();
        }
    }

    /** Per-job sums over the scrapes of every worker. */
    private record WorkerSum(List<PrometheusScrape> scrapes) {

        static WorkerSum of(List<ServiceProcess> workers) {
            return new WorkerSum(workers.stream().map(MetricsAndHealthIT::scrape).toList());
        }

        double count(String name, String job) {
            return scrapes.stream().mapToDouble(s -> s.sum(name, "job", job, "queue", "default")).sum();
        }

        double outcome(String name, String job, String outcome, String... more) {
            String[] labels = Stream.concat(Stream.of("job", job, "queue", "default", "outcome", outcome),
                    Stream.of(more)).toArray(String[]::new);
            return scrapes.stream().mapToDouble(s -> s.sum(name, labels)).sum();
        }
    }

    private static void awaitWorkers(List<ServiceProcess> workers, String what, Predicate<WorkerSum> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.test(WorkerSum.of(workers))) {
            assertThat(System.nanoTime()).as("waited %s for %s", WAIT, what).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(200));
        }
    }

    /** Scrapes until the gauge of the default queue shows {@code value} (gauges are up to 200 ms old). */
    private static PrometheusScrape awaitGauge(ServiceProcess process, String gauge, double value) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PrometheusScrape scrape = scrape(process);
        while (scrape.sum(gauge, "queue", "default") != value && System.nanoTime() < deadline) {
            ServiceProcess.pause(Duration.ofMillis(200));
            scrape = scrape(process);
        }
        assertThat(scrape.sum(gauge, "queue", "default")).as("%s of %s", gauge, process).isEqualTo(value);
        return scrape;
    }

    private static void awaitStatus(ServiceProcess process, String path, int status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = get(process, path).statusCode();
        while (seen != status && System.nanoTime() < deadline) {
            ServiceProcess.pause(Duration.ofMillis(200));
            seen = get(process, path).statusCode();
        }
        assertThat(seen).as("%s of %s", path, process).isEqualTo(status);
    }

    private static PrometheusScrape scrape(ServiceProcess process) {
        HttpResponse<String> metrics = get(process, "/q/metrics");
        assertThat(metrics.statusCode()).as("/q/metrics of %s", process).isEqualTo(200);
        return PrometheusScrape.parse(metrics.body());
    }

    private static HttpResponse<String> get(ServiceProcess process, String path) {
        URI uri = process.baseUri().resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}

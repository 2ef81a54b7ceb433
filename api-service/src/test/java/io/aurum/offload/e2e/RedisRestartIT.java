package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.SteadySubmitter.Refusal;
import io.aurum.offload.testing.RedisServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Redis killed (SIGKILL) and restarted under load, with its append-only file fsynced on every write: every task
 * that got a 202 survives, requests during the outage get 503 with Retry-After, and the api and the workers
 * recover by themselves.
 */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = OffloadSystemResource.APPEND_ONLY, value = "true"))
class RedisRestartIT {

    private static final int ORDERS = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyAcceptedTaskSurvivesARedisRestartWithAppendOnlyPersistence() {
        RedisServer redis = system.redis();
        OffloadEnv env = system.workerEnv().shortWorkerTimings().with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "4");
        ApiClient api = new ApiClient(apiUri);
        List<ServiceProcess> workers = List.of(system.startWorker("redis-restart", env),
                system.startWorker("redis-restart", env));
        TaskBatch batch = new TaskBatch(api, 8);
        long started = System.nanoTime();

        try (SteadySubmitter clients = SteadySubmitter.start(api, SleepTasks.orders("aof", ORDERS, i -> 100), 2,
                Duration.ofMillis(40))) {
            awaitAccepted(clients, 60);
            redis.kill();
            int acceptedBeforeOutage = clients.accepted().size();
            ServiceProcess.pause(OUTAGE);
            redis.restart();
            int acceptedDuringOutage = clients.accepted().size() - acceptedBeforeOutage;
            assertThat(clients.awaitDone(Duration.ofMinutes(3))).as("clients sent every order").isTrue();
            List<Submitted> accepted = clients.accepted();
            Map<String, TaskView> last = batch.awaitFinished(accepted, Duration.ofMinutes(3));

            List<Refusal> refused = clients.refused();
            long duplicates = WorkerLogs.perTask("SUCCESS", workers.toArray(ServiceProcess[]::new)).values().stream()
                    .filter(count -> count > 1).count();
            SleepTasks.report("Redis restart", accepted.size(), SleepTasks.succeeded(last), duplicates,
                    ("sent=%d 503s=%d other-refusals=%d transport-errors=%d accepted-before-outage=%d"
                            + " accepted-between-kill-and-restart=%d re-run=%d wall=%ds").formatted(clients.sent(),
                            refused.stream().filter(r -> r.status() == 503).count(),
                            refused.stream().filter(r -> r.status() != 503).count(),
                            clients.transportErrors().size(), acceptedBeforeOutage, acceptedDuringOutage,
                            last.values().stream().filter(view -> view.attempts() > 1).count(),
                            (System.nanoTime() - started) / 1_000_000_000));
            assertThat(refused).as("requests refused during the outage").isNotEmpty().allSatisfy(refusal -> {
                assertThat(refusal.status()).as("refusal %s", refusal).isEqualTo(503);
                assertThat(refusal.retryAfter()).as("Retry-After of %s", refusal).isNotBlank();
                assertThat(refusal.contentType()).startsWith("application/problem+json");
                JsonNode problem = ApiClient.parse(refusal.body());
                assertThat(problem.path("status").asInt()).isEqualTo(503);
                assertThat(problem.path("detail").asText()).isNotBlank();
            });
            assertThat(clients.transportErrors()).isEmpty();
            assertThat(accepted.size() + refused.size()).isEqualTo(ORDERS);
            assertThat(accepted.size()).as("accepted after Redis came back")
                    .isGreaterThan(acceptedBeforeOutage + acceptedDuringOutage);
            SleepTasks.assertSleptAndEchoed(accepted, last);
            assertThat(duplicates).as("tasks recorded SUCCESS more than once").isZero();
            assertThat(workers).as("workers that lived through the outage").allMatch(ServiceProcess::isAlive);
        }
    }

    private static void awaitAccepted(SteadySubmitter clients, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (clients.accepted().size() < count) {
            assertThat(System.nanoTime()).as("%d tasks accepted within 60 s", count).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(50));
        }
    }
}

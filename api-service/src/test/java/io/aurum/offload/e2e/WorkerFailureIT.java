package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.TaskBatch.Order;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** A worker that dies or is stopped while running tasks: at-least-once delivery, nothing lost. */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class WorkerFailureIT {

    private static final String TENANT = "tenant-a";
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(2);

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void workerKilledMidRunLosesNothing() {
        OffloadEnv env = system.workerEnv().shortWorkerTimings().with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "8");
        TaskBatch batch = new TaskBatch(new ApiClient(apiUri), 8);
        ServiceProcess worker = system.startWorker("sigkill", env);
        List<Submitted> accepted = batch.submit(sleepOrders(0, 40, 1500));

        batch.awaitAtLeast(accepted, 4, view -> "STARTED".equals(view.state()), Duration.ofSeconds(60));
        worker.kill();
        assertThat(worker.awaitExit(Duration.ofSeconds(10))).isPresent();
        Set<String> runningAtKill = idsIn(batch.look(accepted), "STARTED");
        ServiceProcess successor = system.startWorker("sigkill", env);
        Map<String, TaskView> last = batch.awaitFinished(accepted, FINISH_TIMEOUT);

        long completed = countIn(last, "SUCCESS");
        System.out.printf("[e2e] SIGKILL: accepted=%d running-at-kill=%d completed=%d lost=%d run-twice=%d%n",
                accepted.size(), runningAtKill.size(), completed, accepted.size() - completed,
                WorkerLogs.ranMoreThanOnce(worker, successor));
        assertThat(runningAtKill).isNotEmpty();
        assertSleptAndEchoed(accepted, last);
        assertThat(runningAtKill).allSatisfy(id -> assertThat(last.get(id).attempts()).as("attempts of %s", id)
                .isGreaterThanOrEqualTo(2));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void workerStoppedWithSigtermFinishesOrRequeues() {
        Duration grace = Duration.ofSeconds(2);
        OffloadEnv env = system.workerEnv().shortWorkerTimings()
                .with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "8")
                .with("AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE", grace.toSeconds() + "s");
        TaskBatch batch = new TaskBatch(new ApiClient(apiUri), 8);
        ServiceProcess worker = system.startWorker("sigterm", env);
        List<Submitted> longOnes = batch.submit(sleepOrders(0, 4, 6000));
        batch.awaitAtLeast(longOnes, longOnes.size(), view -> "STARTED".equals(view.state()), Duration.ofSeconds(60));
        List<Submitted> shortOnes = batch.submit(sleepOrders(100, 4, 500));
        // All short ones taken before SIGTERM: a task fetched after shutdown began would go back untouched.
        batch.awaitAtLeast(shortOnes, shortOnes.size(), view -> !"PENDING".equals(view.state()),
                Duration.ofSeconds(60));

        worker.stop();
        OptionalInt exit = worker.awaitExit(grace.plusSeconds(10));
        Map<String, TaskView> shortAfterStop = batch.look(shortOnes);
        Map<String, TaskView> longAfterStop = batch.look(longOnes);
        String pendingAfterStop = system.redis().command("-n", "0", "LLEN", "aurum:{q:default}:pending");
        system.startWorker("sigterm", env);
        Map<String, TaskView> longLast = batch.awaitFinished(longOnes, FINISH_TIMEOUT);

        System.out.printf("[e2e] SIGTERM: exit=%s short-success=%d long-states-after-stop=%s pending-after-stop=%s"
                + " long-completed=%d%n", exit, countIn(shortAfterStop, "SUCCESS"), states(longAfterStop),
                pendingAfterStop, countIn(longLast, "SUCCESS"));
        assertThat(exit).as("worker exited within grace + 10s").isPresent();
        assertThat(shortAfterStop.values()).allSatisfy(view -> {
            assertThat(view.state()).isEqualTo("SUCCESS");
            assertThat(view.attempts()).isEqualTo(1);
        });
        assertThat(longAfterStop.values()).extracting(TaskView::state).doesNotContain("FAILURE");
        Set<String> putBack = longAfterStop.entrySet().stream().filter(e -> !e.getValue().isFinished())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(putBack).isNotEmpty();
        assertThat(pendingAfterStop).as("tasks waiting on the queue").isEqualTo(Integer.toString(putBack.size()));
        assertSleptAndEchoed(longOnes, longLast);
        assertThat(putBack).allSatisfy(id -> assertThat(longLast.get(id).attempts()).as("attempts of %s", id)
                .isGreaterThanOrEqualTo(2));
    }

    /** {@code count} sleep jobs of {@code ms} each, with ids {@code first}, {@code first + 1}... */
    private static List<Order> sleepOrders(int first, int count, long ms) {
        return IntStream.range(first, first + count).mapToObj(id -> {
            ObjectNode payload = ApiClient.JSON.createObjectNode().put("ms", ms).put("id", "sleep-" + id);
            return new Order("sleep", TENANT, payload);
        }).toList();
    }

    private static void assertSleptAndEchoed(List<Submitted> tasks, Map<String, TaskView> last) {
        assertThat(tasks).allSatisfy(task -> {
            TaskView view = last.get(task.taskId());
            assertThat(view.state()).as("task %s: %s", task.taskId(), view.body()).isEqualTo("SUCCESS");
            JsonNode result = view.body().path("result");
            assertThat(result.path("id")).isEqualTo(task.payload().get("id"));
            assertThat(result.path("slept_ms").asLong()).isEqualTo(task.payload().get("ms").asLong());
        });
    }

    private static Set<String> idsIn(Map<String, TaskView> views, String state) {
        return views.entrySet().stream().filter(e -> state.equals(e.getValue().state())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static long countIn(Map<String, TaskView> views, String state) {
        return views.values().stream().filter(view -> state.equals(view.state())).count();
    }

    private static Map<String, Long> states(Map<String, TaskView> views) {
        return views.values().stream().collect(Collectors.groupingBy(view -> String.valueOf(view.state()),
                Collectors.counting()));
    }
}

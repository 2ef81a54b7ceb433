package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Fault tests on the workers, as real processes: killed with SIGKILL over and over under load, stopped with
 * SIGTERM under load, and a dead worker's tasks raced over by two sweeping workers. Each prints its figures and
 * fails on any task lost or completed twice.
 */
@QuarkusIntegrationTest
@WithTestResource(value = OffloadSystemResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class WorkerFaultsIT {

    private static final String QUEUE = "default";
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern REQUEUED = Pattern.compile("Requeued (\\d+) tasks of dead workers");

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void workersKilledRoundAfterRoundUnderLoadLoseNoTask() {
        OffloadEnv env = system.workerEnv().shortWorkerTimings().with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "4");
        ApiClient api = new ApiClient(apiUri);
        List<ServiceProcess> alive = new ArrayList<>(List.of(system.startWorker("kill-rounds", env),
                system.startWorker("kill-rounds", env)));
        List<ServiceProcess> everyWorker = new ArrayList<>(alive);
        QueueLists queue = new QueueLists(system.redis(), QUEUE);
        TaskBatch batch = new TaskBatch(api, 8);
        Set<String> runningAtKill = new HashSet<>();
        long started = System.nanoTime();

        try (SteadySubmitter clients = SteadySubmitter.start(api, SleepTasks.orders("kill", 240, i -> 800), 2,
                Duration.ofMillis(150))) {
            for (int round = 1; round <= 3; round++) {
                ServiceProcess victim = alive.removeFirst();
                String victimId = WorkerLogs.workerId(victim);
                awaitTrue("worker " + victimId + " running tasks",
                        () -> runningOf(batch, clients.accepted(), queue.activeOf(victimId)).size() >= 2);

                victim.kill();
                assertThat(victim.awaitExit(Duration.ofSeconds(10))).as("killed worker exited").isPresent();
                List<String> held = queue.activeOf(victimId);
                Set<String> running = runningOf(batch, clients.accepted(), held);
                System.out.printf("[fault] kill round %d: worker %s killed holding %d tasks, %d of them running%n",
                        round, victimId, held.size(), running.size());
                assertThat(running).as("tasks running on the worker killed in round %d", round).isNotEmpty();
                runningAtKill.addAll(running);
                ServiceProcess successor = system.startWorker("kill-rounds", env);
                alive.add(successor);
                everyWorker.add(successor);
            }
            assertThat(clients.awaitDone(Duration.ofMinutes(2))).as("clients sent every order").isTrue();
            List<Submitted> accepted = clients.accepted();
            Map<String, TaskView> last = batch.awaitFinished(accepted, FINISH_TIMEOUT);

            ServiceProcess[] workers = everyWorker.toArray(ServiceProcess[]::new);
            long duplicates = countAbove(WorkerLogs.perTask("SUCCESS", workers), 1);
            long reRun = last.values().stream().filter(view -> view.attempts() > 1).count();
            SleepTasks.report("SIGKILL x3", accepted.size(), SleepTasks.succeeded(last), duplicates,
                    "refused=%s transport-errors=%d running-at-kill=%d re-run=%d wall=%ds".formatted(
                            clients.refusedByStatus(), clients.transportErrors().size(), runningAtKill.size(), reRun,
                            secondsSince(started)));
            assertThat(clients.refused()).isEmpty();
            assertThat(clients.transportErrors()).isEmpty();
            assertThat(accepted).hasSize(240).extracting(Submitted::taskId).doesNotHaveDuplicates();
            SleepTasks.assertSleptAndEchoed(accepted, last);
            assertThat(duplicates).as("tasks recorded SUCCESS more than once").isZero();
            assertThat(runningAtKill).allSatisfy(id -> assertThat(last.get(id).attempts())
                    .as("attempts of %s, running when its worker was killed", id).isGreaterThanOrEqualTo(2));
            assertThat(queue.heldIds()).as("messages left in the queue's lists").isEmpty();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void workerStoppedWithSigtermUnderLoadCompletesEveryTaskOnce() {
        Duration grace = Duration.ofSeconds(2);
        OffloadEnv env = system.workerEnv().shortWorkerTimings()
                .with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "4")
                .with("AURUM_API_OFFLOAD_WORKER_SHUTDOWN_GRACE", grace.toSeconds() + "s");
        ApiClient api = new ApiClient(apiUri);
        ServiceProcess stopped = system.startWorker("sigterm-load", env);
        ServiceProcess other = system.startWorker("sigterm-load", env);
        String stoppedId = WorkerLogs.workerId(stopped);
        QueueLists queue = new QueueLists(system.redis(), QUEUE);
        TaskBatch batch = new TaskBatch(api, 8);
        long started = System.nanoTime();

        try (SteadySubmitter clients = SteadySubmitter.start(api,
                SleepTasks.orders("term", 80, i -> i % 2 == 0 ? 200 : 4_000), 1, Duration.ofMillis(100))) {
            // A 4 s task already STARTED on the worker: it cannot finish within the 2 s grace.
            awaitTrue("a long task running on " + stoppedId, () -> !runningOf(batch, clients.accepted(),
                    queue.activeOf(stoppedId).stream().filter(id -> isLong(clients, id)).toList()).isEmpty());

            stopped.stop();
            OptionalInt exit = stopped.awaitExit(grace.plusSeconds(20));
            assertThat(clients.awaitDone(Duration.ofMinutes(2))).as("clients sent every order").isTrue();
            List<Submitted> accepted = clients.accepted();
            Map<String, TaskView> last = batch.awaitFinished(accepted, FINISH_TIMEOUT);

            Map<String, Long> successes = WorkerLogs.perTask("SUCCESS", stopped, other);
            Map<String, Long> dropped = WorkerLogs.perTask("dropped", stopped, other);
            Map<String, Long> putBack = WorkerLogs.perTask("interrupted", stopped);
            long duplicates = accepted.stream().filter(task -> completions(task, successes, dropped) > 1).count();
            SleepTasks.report("SIGTERM", accepted.size(), SleepTasks.succeeded(last), duplicates,
                    "exit=%s put-back=%d finished-by-stopped=%d wall=%ds".formatted(exit, putBack.size(),
                            WorkerLogs.perTask("SUCCESS", stopped).size(), secondsSince(started)));
            assertThat(exit).as("worker exited after SIGTERM").isPresent();
            assertThat(clients.refused()).isEmpty();
            assertThat(accepted).hasSize(80);
            SleepTasks.assertSleptAndEchoed(accepted, last);
            assertThat(putBack).as("tasks the stopped worker interrupted and put back").isNotEmpty();
            assertThat(accepted).allSatisfy(task -> {
                assertThat(completions(task, successes, dropped)).as("runs to completion of %s", task.taskId())
                        .isEqualTo(1);
                assertThat(last.get(task.taskId()).attempts()).as("attempts of %s", task.taskId())
                        .isEqualTo(1 + putBack.getOrDefault(task.taskId(), 0L));
            });
            assertThat(queue.heldIds()).as("messages left in the queue's lists").isEmpty();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoSweepingWorkersRecoverADeadWorkersTasksExactlyOnce() {
        // A lease long enough for both sweepers to be up and sweeping every second when it runs out.
        OffloadEnv env = system.workerEnv()
                .with("AURUM_API_OFFLOAD_WORKER_VISIBILITY_TIMEOUT", "10s")
                .with("AURUM_API_OFFLOAD_WORKER_HEARTBEAT_INTERVAL", "1s")
                .with("AURUM_API_OFFLOAD_WORKER_SWEEP_INTERVAL", "1s")
                .with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "8");
        ApiClient api = new ApiClient(apiUri);
        ServiceProcess dead = system.startWorker("sweep-race", env);
        String deadId = WorkerLogs.workerId(dead);
        QueueLists queue = new QueueLists(system.redis(), QUEUE);
        TaskBatch batch = new TaskBatch(api, 8);
        List<Submitted> accepted = batch.submit(SleepTasks.orders("race", 8, i -> 3_000));
        batch.awaitAtLeast(accepted, accepted.size(), view -> "STARTED".equals(view.state()), WAIT);
        long started = System.nanoTime();

        dead.kill();
        assertThat(dead.awaitExit(Duration.ofSeconds(10))).isPresent();
        List<String> heldByDead = queue.activeOf(deadId);
        ServiceProcess b = system.launchWorker("sweep-race", env);
        ServiceProcess c = system.launchWorker("sweep-race", env);
        b.awaitUp();
        c.awaitUp();
        Set<String> seenTwice = new HashSet<>();
        Map<String, TaskView> last = Map.of();
        long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            seenTwice.addAll(queue.duplicated());
            last = batch.look(accepted);
            if (last.values().stream().allMatch(TaskView::isFinished)) {
                break;
            }
            ServiceProcess.pause(Duration.ofMillis(100));
        }

        Map<String, Long> starts = WorkerLogs.perTask("STARTED", b, c);
        Map<String, Long> successes = WorkerLogs.perTask("SUCCESS", b, c);
        long requeued = requeuedBy(b) + requeuedBy(c);
        SleepTasks.report("sweep race", accepted.size(), SleepTasks.succeeded(last),
                countAbove(successes, 1), "held-by-dead=%d requeued-by-b=%d requeued-by-c=%d seen-twice=%d wall=%ds"
                        .formatted(heldByDead.size(), requeuedBy(b), requeuedBy(c), seenTwice.size(),
                                secondsSince(started)));
        assertThat(heldByDead).as("tasks in the dead worker's active list").hasSize(accepted.size());
        assertThat(requeued).as("tasks the two sweepers put back, together").isEqualTo(accepted.size());
        assertThat(seenTwice).as("task ids held twice at once in pending, active or delayed").isEmpty();
        SleepTasks.assertSleptAndEchoed(accepted, last);
        Map<String, TaskView> finalViews = last;
        assertThat(accepted).allSatisfy(task -> {
            assertThat(finalViews.get(task.taskId()).attempts()).as("attempts of %s", task.taskId()).isEqualTo(2);
            assertThat(starts.get(task.taskId())).as("starts of %s on the sweepers", task.taskId()).isEqualTo(1);
            assertThat(successes.get(task.taskId())).as("successes of %s", task.taskId()).isEqualTo(1);
        });
        assertThat(queue.heldIds()).as("messages left in the queue's lists").isEmpty();
    }

    /** Of the given task ids, those whose status is STARTED now. */
    private static Set<String> runningOf(TaskBatch batch, List<Submitted> accepted, List<String> ids) {
        List<Submitted> held = accepted.stream().filter(task -> ids.contains(task.taskId())).toList();
        Set<String> running = new HashSet<>();
        batch.look(held).forEach((id, view) -> {
            if ("STARTED".equals(view.state())) {
                running.add(id);
            }
        });
        return running;
    }

    private static boolean isLong(SteadySubmitter clients, String taskId) {
        return clients.accepted().stream().anyMatch(task -> task.taskId().equals(taskId)
                && task.payload().path("ms").asLong() > 1_000);
    }

    /** Runs of the task that reached their end: recorded SUCCESS, or dropped as a stale attempt. */
    private static long completions(Submitted task, Map<String, Long> successes, Map<String, Long> dropped) {
        return successes.getOrDefault(task.taskId(), 0L) + dropped.getOrDefault(task.taskId(), 0L);
    }

    private static long countAbove(Map<String, Long> counts, long limit) {
        return counts.values().stream().filter(count -> count > limit).count();
    }

    private static long requeuedBy(ServiceProcess worker) {
        return worker.output().lines().map(REQUEUED::matcher).filter(Matcher::find)
                .mapToLong(match -> Long.parseLong(match.group(1))).sum();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", WAIT, what).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(100));
        }
    }

    private static long secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000_000;
    }
}

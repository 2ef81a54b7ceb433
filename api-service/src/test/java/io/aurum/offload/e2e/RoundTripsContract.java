package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.TaskBatch.Order;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Guards the Redis round trips each step costs, counted by Redis itself (MONITOR), not timed: an enqueue and a
 * status read take one round trip per database they touch, and running a task at most three in all, whether
 * broker and results share a database or not (one subclass each). The benchmark prints the same figures under load.
 */
abstract class RoundTripsContract {

    private static final int TASKS = 1_000;
    private static final int WARM_UP = 200;
    private static final int MEASURED = 200;
    private static final int IN_FLIGHT = 16;
    private static final int BROKER_DB = 0;
    private static final int RESULTS_DB = 1;

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void enqueueStatusAndRunStayWithinTheirRoundTrips() {
        boolean sameDatabase = system.sameDatabase();
        ApiClient api = new ApiClient(apiUri);
        TaskBatch batch = new TaskBatch(api, IN_FLIGHT);
        List<Order> orders = IntStream.range(0, TASKS)
                .mapToObj(i -> new Order("noop", "tenant-rt", JsonNodeFactory.instance.objectNode().put("i", i)))
                .toList();

        // Warm up: the api opens its pooled connections and loads its scripts once, not per request.
        List<Submitted> warmUp = batch.submit(orders.subList(0, WARM_UP));
        batch.look(warmUp);
        RedisMonitor.Counts enqueue;
        try (RedisMonitor monitor = RedisMonitor.start(system.redis())) {
            batch.submit(orders.subList(WARM_UP, WARM_UP + MEASURED));
            enqueue = monitor.stop();
        }
        batch.submit(orders.subList(WARM_UP + MEASURED, TASKS));
        RedisMonitor.Counts status;
        try (RedisMonitor monitor = RedisMonitor.start(system.redis())) {
            batch.look(warmUp);
            status = monitor.stop();
        }
        // From here on only the worker's commands count. The api, which Quarkus keeps running for the whole class,
        // sits idle; its connections, all open by now, are left out.
        Set<String> apiClients = RedisMonitor.connectedClients(system.redis());
        RedisMonitor.Counts run;
        try (RedisMonitor monitor = RedisMonitor.start(system.redis(), apiClients)) {
            ServiceProcess worker = system.startWorker("round-trips-" + (sameDatabase ? "same" : "separate"),
                    system.workerEnv());
            awaitSucceeded(worker, TASKS);
            run = monitor.stop();
        }

        System.out.printf("[e2e] round trips, %s: per enqueue broker=%.2f results=%.2f; per status read "
                        + "results=%.2f; per task run %.2f (broker=%.2f results=%.2f) over %d tasks, start-up and "
                        + "heartbeats included%n", sameDatabase ? "one database" : "two databases",
                per(enqueue.inDatabase(BROKER_DB), MEASURED), per(enqueue.inDatabase(RESULTS_DB), MEASURED),
                per(status.inDatabase(sameDatabase ? BROKER_DB : RESULTS_DB), warmUp.size()),
                per(run.total(), TASKS), per(run.inDatabase(BROKER_DB), TASKS), per(run.inDatabase(RESULTS_DB), TASKS),
                TASKS);
        if (sameDatabase) {
            assertThat(enqueue.total()).as("enqueue round trips: %s", enqueue).isEqualTo(MEASURED);
        } else {
            assertThat(enqueue.inDatabase(BROKER_DB)).as("enqueue, broker: %s", enqueue).isEqualTo(MEASURED);
            assertThat(enqueue.inDatabase(RESULTS_DB)).as("enqueue, results: %s", enqueue).isEqualTo(MEASURED);
        }
        assertThat(status.total()).as("status round trips: %s", status).isEqualTo(warmUp.size());
        assertThat(per(run.total(), TASKS)).as("round trips per task run: %s", run).isLessThanOrEqualTo(3.0);
    }

    private static double per(long count, int of) {
        return (double) count / of;
    }

    private static void awaitSucceeded(ServiceProcess worker, int tasks) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (WorkerLogs.perTask("SUCCESS", worker).size() < tasks) {
            assertThat(System.nanoTime()).as("all %d tasks succeeded within 3 minutes", tasks).isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(200));
        }
    }
}

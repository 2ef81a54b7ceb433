package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.TaskBatch.Order;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The main path across processes: HTTP in, Redis between, a separate worker, HTTP out; run against each layout of
 * broker and result backend, each with its own api (the one Quarkus launched) and Redis.
 */
abstract class ThousandJobsContract {

    private static final int JOBS = 1_000;
    private static final int IN_FLIGHT = 16;

    @TestHTTPResource("/")
    URI apiUri;
    OffloadSystem system;

    @AfterEach
    void stopWorkers() {
        system.reset();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void thousandJobsOverHttpAllSucceed() {
        String databases = system.sameDatabase() ? "SAME" : "SEPARATE";
        ApiClient api = new ApiClient(apiUri);
        ServiceProcess worker = system.startWorker("thousand-" + databases.toLowerCase(), system.workerEnv());
        TaskBatch batch = new TaskBatch(api, IN_FLIGHT);
        List<Order> orders = IntStream.range(0, JOBS)
                .mapToObj(i -> new Order("heavy_compute", i % 2 == 0 ? "tenant-a" : "tenant-b", payload(i))).toList();

        List<Submitted> accepted = batch.submit(orders);
        Map<String, TaskView> last = batch.awaitFinished(accepted, Duration.ofMinutes(3));

        long completed = last.values().stream().filter(view -> "SUCCESS".equals(view.state())).count();
        System.out.printf("[e2e] %s databases: accepted=%d completed=%d lost=%d duplicate-ids=%d run-twice=%d%n",
                databases, accepted.size(), completed, JOBS - completed, accepted.size() - last.size(),
                WorkerLogs.ranMoreThanOnce(worker));
        assertThat(accepted).extracting(Submitted::taskId).hasSize(JOBS).doesNotHaveDuplicates();
        assertThat(accepted).allSatisfy(task -> {
            TaskView view = last.get(task.taskId());
            assertThat(view.status()).as("answer for %s: %s", task.taskId(), view.body()).isEqualTo(200);
            assertThat(view.state()).isEqualTo("SUCCESS");
            assertThat(view.body().path("result")).isEqualTo(expectedResult(task.payload()));
        });
        assertThat(recordsInDatabase1()).as("keys in database 1").isEqualTo(system.sameDatabase() ? 0 : JOBS);
    }

    static ObjectNode payload(int i) {
        ObjectNode payload = ApiClient.JSON.createObjectNode();
        payload.put("n", i);
        payload.put("label", "job-" + i + " ünïcode ✓");
        payload.put("ratio", i / 8.0);
        payload.putArray("values").add(i).add(-i).add(true).addNull();
        payload.putObject("nested").put("depth", 2).putObject("deeper").put("id", "x" + i);
        return payload;
    }

    /** Task records ({@code aurum:{t:ID}} hashes) in database 1, where only a separate result backend writes. */
    private long recordsInDatabase1() {
        String keys = system.redis().command("-n", "1", "--scan", "--pattern", "aurum:{t:*}");
        return keys.lines().filter(key -> !key.isBlank() && !key.endsWith(":gone")).count();
    }

    private static JsonNode expectedResult(ObjectNode payload) {
        ObjectNode result = ApiClient.JSON.createObjectNode();
        result.put("ok", true);
        result.set("input", payload);
        return result;
    }
}

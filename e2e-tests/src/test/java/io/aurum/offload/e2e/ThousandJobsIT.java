package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.ServiceProcess.Service;
import io.aurum.offload.e2e.TaskBatch.Order;

/** The main path across processes: HTTP in, Redis between, a separate worker, HTTP out. */
class ThousandJobsIT {

    private static final int JOBS = 1_000;
    private static final int IN_FLIGHT = 16;

    /** Where the broker and the result backend live on the one server. */
    enum Databases {
        SEPARATE(false), SAME(true);

        final boolean same;

        Databases(boolean same) {
            this.same = same;
        }
    }

    private E2eSystem system;

    @AfterEach
    void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @ParameterizedTest(name = "{0} databases")
    @EnumSource(Databases.class)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void thousandJobsOverHttpAllSucceed(Databases databases) {
        system = new E2eSystem("thousand-" + databases.name().toLowerCase());
        OffloadEnv env = OffloadEnv.on(system.redis(), databases.same);
        ApiClient api = new ApiClient(system.start(Service.API, env));
        ServiceProcess worker = system.start(Service.WORKER, env);
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
        assertThat(recordsInDatabase1()).as("keys in database 1").isEqualTo(databases.same ? 0 : JOBS);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void unknownAndForeignTaskIdsAnswer404AndNeverPending() {
        system = new E2eSystem("unknown-ids");
        OffloadEnv env = OffloadEnv.on(system.redis(), false);
        ServiceProcess apiProcess = system.start(Service.API, env);
        ApiClient api = new ApiClient(apiProcess);
        Submitted own = api.submit("heavy_compute", "tenant-a", payload(1));

        TaskView unknown = api.status(apiProcess.baseUri().resolve("/v1/tasks/AAAAAAAAAAAAAAAAAAAAAAAA"), "tenant-a");
        TaskView foreign = api.status(own.location(), "tenant-b");
        TaskView mine = api.status(own);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.state()).isNull();
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(withoutInstance(foreign.body())).isEqualTo(withoutInstance(unknown.body()));
        assertThat(mine.status()).isEqualTo(202);
        assertThat(mine.state()).isEqualTo("PENDING");
    }

    private static ObjectNode payload(int i) {
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

    /** A problem body without its {@code instance}, the one member that names the path asked. */
    private static JsonNode withoutInstance(JsonNode problem) {
        return problem.deepCopy() instanceof ObjectNode copy ? copy.without("instance") : problem;
    }

    private static JsonNode expectedResult(ObjectNode payload) {
        ObjectNode result = ApiClient.JSON.createObjectNode();
        result.put("ok", true);
        result.set("input", payload);
        return result;
    }
}

package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;
import io.aurum.offload.e2e.TaskBatch.Order;

/** The demo {@code sleep} job as a fault-test load: each task sleeps a while and echoes an id of its own. */
final class SleepTasks {

    static final String TENANT = "tenant-faults";

    private SleepTasks() {
    }

    /** {@code count} sleep orders with ids {@code prefix-0}, {@code prefix-1}..., task i sleeping {@code ms(i)}. */
    static List<Order> orders(String prefix, int count, IntToLongFunction ms) {
        return IntStream.range(0, count).mapToObj(i -> {
            ObjectNode payload = ApiClient.JSON.createObjectNode().put("ms", ms.applyAsLong(i))
                    .put("id", prefix + "-" + i);
            return new Order("sleep", TENANT, payload);
        }).toList();
    }

    /** How many of the answers show SUCCESS. */
    static long succeeded(Map<String, TaskView> last) {
        return last.values().stream().filter(view -> "SUCCESS".equals(view.state())).count();
    }

    /** Every task ended in SUCCESS with its own id echoed and the sleep it asked for. */
    static void assertSleptAndEchoed(List<Submitted> tasks, Map<String, TaskView> last) {
        assertThat(tasks).allSatisfy(task -> {
            TaskView view = last.get(task.taskId());
            assertThat(view).as("answer for %s", task.taskId()).isNotNull();
            assertThat(view.state()).as("task %s: %s", task.taskId(), view.body()).isEqualTo("SUCCESS");
            JsonNode result = view.body().path("result");
            assertThat(result.path("id")).isEqualTo(task.payload().get("id"));
            assertThat(result.path("slept_ms").asLong()).isEqualTo(task.payload().get("ms").asLong());
        });
    }

    /** Prints a fault test's figures in one greppable line. */
    static void report(String test, long accepted, long completed, long duplicates, String more) {
        System.out.printf("[fault] %s: accepted=%d completed=%d duplicates=%d lost=%d %s%n", test, accepted,
                completed, duplicates, accepted - completed, more);
    }
}

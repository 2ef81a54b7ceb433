package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code aurum.api.offload.api.max-waiting}: a read beyond the limit answers at once, as without {@code wait}. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(TaskStatusWaitLimitTest.OneWaitingRead.class)
class TaskStatusWaitLimitTest {

    private static final Duration WELL_BEFORE_THE_LIMIT = Duration.ofSeconds(10);
    private static final Duration POLL_LIMIT = Duration.ofSeconds(20);

    /** Room for one waiting read. */
    public static class OneWaitingRead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aurum.api.offload.api.max-waiting", "1");
        }
    }

    @Test
    void answersAReadBeyondTheLimitAtOnceWithoutWatchingItsTask() throws InterruptedException {
        String first = enqueue();
        String second = enqueue();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> status(first, "20"),
                Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory()));
        awaitWatched(first);

        long start = System.nanoTime();
        Response beyond = status(second, "20");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        WorkerRecords.succeed(first, "{\"ok\":true}");

        assertThat(beyond.statusCode()).isEqualTo(202);
        assertThat(elapsed).isLessThan(WELL_BEFORE_THE_LIMIT);
        assertThat(WorkerRecords.record(second)).doesNotContainKey("watch");
        assertThat(waiting.join().jsonPath().getString("state")).isEqualTo("SUCCESS");
    }

    /** The waiting read has taken the one slot once its task is marked watched; polled for at most 20 s. */
    private static void awaitWatched(String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
        while (!WorkerRecords.record(taskId).containsKey("watch") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(WorkerRecords.record(taskId)).containsEntry("watch", "1");
    }

    private static String enqueue() {
        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON)
                .body("{}").post("/v1/jobs/{job}", "heavy_compute");
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }

    private static Response status(String taskId, String wait) {
        return given().header("X-Aurum-Tenant", "acme").queryParam("wait", wait).get("/v1/tasks/{id}", taskId);
    }
}

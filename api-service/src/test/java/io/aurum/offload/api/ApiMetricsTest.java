package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.PrometheusScrape;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The api's metrics at {@code /q/metrics} against a real redis-server: counters move as tasks are enqueued and
 * cancelled, unknown job names make no series, and the queue gauges show what Redis holds. Other test classes share
 * this application and its meters, so each test compares a counter with its value before.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ApiMetricsTest {

    private static final String JOB = "heavy_compute";
    private static final String QUEUE = "default";
    private static final Duration GAUGE_WAIT = Duration.ofSeconds(10);

    @Test
    void countsEachEnqueuedTaskByJobAndQueue() {
        double before = enqueued();

        for (int i = 0; i < 3; i++) {
            enqueue("acme");
        }

        assertThat(enqueued() - before).isEqualTo(3);
    }

    @Test
    void countsAnIdempotentRepeatOnce() {
        double before = enqueued();

        String key = "same-key-" + System.nanoTime();
        enqueueWithKey(key);
        enqueueWithKey(key);

        assertThat(enqueued() - before).isEqualTo(1);
    }

    @Test
    void makesNoSeriesForAnUnknownJob() {
        Response refused = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "no_such_job_here");

        PrometheusScrape scrape = scrape();

        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(scrape.toString()).doesNotContain("no_such_job_here");
        assertThat(scrape.samples()).allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKeys(
                "task_id", "tenant"));
    }

    @Test
    void makesNoSeriesForPathsACallerChoosesWithAMethodNoEndpointTakes() {
        for (int i = 0; i < 3; i++) {
            Response refused = given().header("X-Aurum-Tenant", "acme").put("/v1/tasks/{id}", "chosen-path-" + i);
            assertThat(refused.statusCode()).isEqualTo(405);
            given().options("/v1/jobs/{job}", "chosen-path-" + i);
        }

        enqueue("acme");

        assertThat(scrape().toString()).doesNotContain("chosen-path-").contains("uri=\"/v1/jobs/{job}\"");
    }

    @Test
    void countsACancelledQueuedTaskAsRevoked() {
        String taskId = enqueue("acme");
        double before = scrape().sum("aurum_tasks_revoked_total", "job", JOB, "queue", QUEUE);

        Response cancelled = given().header("X-Aurum-Tenant", "acme").delete("/v1/tasks/{id}", taskId);
        Response again = given().header("X-Aurum-Tenant", "acme").delete("/v1/tasks/{id}", taskId);

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(scrape().sum("aurum_tasks_revoked_total", "job", JOB, "queue", QUEUE) - before).isEqualTo(1);
    }

    @Test
    void gaugesQueueDepthDelayedTasksDeadLettersAndLiveWorkersAsRedisHoldsThem() {
        enqueue("acme");
        enqueue("acme");
        given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .queryParam("countdown", 3600).post("/v1/jobs/{job}", JOB).then().statusCode(202);
        String dead = RedisKeys.dead(QUEUE);
        redis("ZADD", dead, "1", "gauge-test-dead-letter");
        String workers = RedisKeys.workers(QUEUE);
        redis("ZADD", workers, Long.toString(System.currentTimeMillis() + 60_000), "gauge-test-live-worker");
        redis("ZADD", workers, Long.toString(System.currentTimeMillis() - 60_000), "gauge-test-dead-worker");
        try {
            awaitGauge("aurum_queue_depth", () -> Double.parseDouble(redis("LLEN", RedisKeys.pending(QUEUE))));
            awaitGauge("aurum_queue_delayed", () -> Double.parseDouble(redis("ZCARD", RedisKeys.delayed(QUEUE))));
            awaitGauge("aurum_queue_dead_letters", () -> Double.parseDouble(redis("ZCARD", dead)));
            awaitGauge("aurum_workers_alive", () -> Double.parseDouble(
                    redis("ZCOUNT", workers, "(" + System.currentTimeMillis(), "+inf")));

            assertThat(scrape().sum("aurum_queue_depth", "queue", QUEUE)).isGreaterThanOrEqualTo(2);
            assertThat(scrape().sum("aurum_queue_delayed", "queue", QUEUE)).isGreaterThanOrEqualTo(1);
        } finally {
            redis("ZREM", dead, "gauge-test-dead-letter");
            redis("ZREM", workers, "gauge-test-live-worker", "gauge-test-dead-worker");
        }
    }

    /** Waits, bounded, for a gauge to show what Redis holds; the gauges may be up to gauge-max-age old. */
    private void awaitGauge(String gauge, DoubleSupplier inRedis) {
        long deadline = System.nanoTime() + GAUGE_WAIT.toNanos();
        double shown = Double.NaN;
        double expected = Double.NaN;
        while (System.nanoTime() < deadline) {
            expected = inRedis.getAsDouble();
            shown = scrape().sum(gauge, "queue", QUEUE);
            if (shown == expected) {
                return;
            }
            pause();
        }
        assertThat(shown).as("%s of queue %s", gauge, QUEUE).isEqualTo(expected);
    }

    private static double enqueued() {
        return scrape().sum("aurum_tasks_enqueued_total", "job", JOB, "queue", QUEUE);
    }

    static PrometheusScrape scrape() {
        return PrometheusScrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private static String enqueue(String tenant) {
        return given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", JOB).then().statusCode(202).extract().jsonPath().getString("task_id");
    }

    private static void enqueueWithKey(String key) {
        given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"same\":true}").post("/v1/jobs/{job}", JOB).then().statusCode(202);
    }

    private static String redis(String... command) {
        return RedisTestResource.server().command(0, command);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

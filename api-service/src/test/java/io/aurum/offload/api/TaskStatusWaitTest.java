package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.redis.TaskDoneSubscriber;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * {@code GET /v1/tasks/{task_id}?wait=S} against a real redis-server, with tasks finished by
 * {@link WorkerRecords} the way the worker finishes them. "Before S" checks use a wait of 20 s and a bound of half
 * of it: an answer that came from a wake-up, not from the time limit, whatever the machine's speed. (20 s stays
 * under the test client's own read timeout of 30 s.)
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class TaskStatusWaitTest {

    private static final String LONG_WAIT = "20";
    private static final Duration WELL_BEFORE_THE_LIMIT = Duration.ofSeconds(10);
    private static final Duration SUBSCRIBE_LIMIT = Duration.ofSeconds(30);

    /** Threads of its own: the common pool may have a single thread here, busy with a blocked request. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .factory());
    private static final Executor SOON = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS, THREADS);

    @Inject
    TaskDoneSubscriber subscriber;

    private final TaskIds ids = new TaskIds();

    /** Another test class may have restarted Redis: wait (bounded) until the subscription is back. */
    @BeforeEach
    void awaitSubscription() throws InterruptedException {
        long deadline = System.nanoTime() + SUBSCRIBE_LIMIT.toNanos();
        while (!subscriber.isSubscribed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(subscriber.isSubscribed()).as("subscribed to %s", RedisKeys.taskDoneChannel()).isTrue();
    }

    @Test
    void answersAsSoonAsTheTaskSucceeds() {
        String taskId = enqueue("acme");
        CompletableFuture.runAsync(() -> WorkerRecords.succeed(taskId, "{\"ok\":true}"), SOON);

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(answer.response().jsonPath().getBoolean("result.ok")).isTrue();
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void answersAsSoonAsTheTaskFails() {
        String taskId = enqueue("acme");
        CompletableFuture.runAsync(() -> WorkerRecords.fail(taskId, "IOException", "disk full"), SOON);

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("FAILURE");
        assertThat(answer.response().jsonPath().getString("error.type")).isEqualTo("IOException");
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void answersAsSoonAsItsOwnerCancelsTheTask() {
        String taskId = enqueue("acme");
        CompletableFuture.runAsync(() -> given().header("X-Aurum-Tenant", "acme").delete("/v1/tasks/{id}", taskId),
                SOON);

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("REVOKED");
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void wakesEveryReadWaitingForTheSameTask() {
        String taskId = enqueue("acme");
        List<CompletableFuture<Response>> waiting = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> status(taskId, "acme", LONG_WAIT), THREADS))
                .toList();
        CompletableFuture.runAsync(() -> WorkerRecords.succeed(taskId, "{\"ok\":true}"), SOON);

        Timed answers = timed(() -> {
            waiting.forEach(CompletableFuture::join);
            return waiting.get(0).join();
        });

        assertThat(waiting).allSatisfy(read -> assertThat(read.join().jsonPath().getString("state"))
                .isEqualTo("SUCCESS"));
        assertThat(answers.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void answers202WithRetryAfterWhenTheWaitRunsOutAndNotBefore() {
        String taskId = enqueue("acme");

        Timed answer = timed(() -> status(taskId, "acme", "0.5"));

        assertThat(answer.response().statusCode()).isEqualTo(202);
        assertThat(answer.response().header("Retry-After")).isEqualTo("1");
        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("PENDING");
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void showsTheStateReachedWhileItWaitedWhenTheWaitRunsOut() {
        String taskId = enqueue("acme");
        CompletableFuture.runAsync(() -> WorkerRecords.markState(taskId, "STARTED"), SOON);

        Response response = status(taskId, "acme", "1");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.jsonPath().getString("state")).isEqualTo("STARTED");
    }

    @Test
    void answersAFinishedTaskAtOnce() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
        assertThat(WorkerRecords.record(taskId)).doesNotContainKey("watch");
    }

    @Test
    void answersAnotherTenantsTaskWith404AtOnceAndLeavesItUnwatched() {
        String taskId = enqueue("acme");

        Timed answer = timed(() -> status(taskId, "globex", LONG_WAIT));

        assertProblem(answer.response(), 404, "/v1/tasks/" + taskId);
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
        assertThat(WorkerRecords.record(taskId)).doesNotContainKey("watch");
    }

    @Test
    void answersAnUnknownIdWith404AtOnceAndCreatesNoRecord() {
        String taskId = ids.next();

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertProblem(answer.response(), 404, "/v1/tasks/" + taskId);
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
        assertThat(WorkerRecords.record(taskId)).isEmpty();
    }

    @Test
    void answersTheOwnerOfAnExpiredTaskWith410AtOnce() {
        String taskId = enqueue("acme");
        WorkerRecords.succeed(taskId, "{\"ok\":true}");
        WorkerRecords.expireResult(taskId);

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertProblem(answer.response(), 410, "/v1/tasks/" + taskId);
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
        assertThat(WorkerRecords.record(taskId)).isEmpty();
    }

    @Test
    void marksAnUnfinishedTaskWatchedOnlyWhenAReadWaitsForIt() {
        String taskId = enqueue("acme");

        status(taskId, "acme", null);
        status(taskId, "acme", "0");
        boolean watchedBeforeWaiting = WorkerRecords.record(taskId).containsKey("watch");
        status(taskId, "acme", "0.1");

        assertThat(watchedBeforeWaiting).isFalse();
        assertThat(WorkerRecords.record(taskId)).containsEntry("watch", "1");
    }

    @Test
    void waitsOnTheRunbookPathToo() {
        String taskId = given().header("X-Aurum-Tenant", "acme").post("/v1/heavy").jsonPath().getString("task_id");
        CompletableFuture.runAsync(() -> WorkerRecords.succeed(taskId, "{\"ok\":true}"), SOON);

        Timed answer = timed(() -> given().header("X-Aurum-Tenant", "acme").queryParam("wait", LONG_WAIT)
                .get("/v1/heavy/{id}", taskId));

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void stillWakesReadsAfterItsSubscriptionWasCut() throws InterruptedException {
        RedisTestResource.server().command("CLIENT", "KILL", "TYPE", "pubsub");
        // CLIENT KILL has closed the old connection when it returns: a subscriber seen now is the new one.
        long deadline = System.nanoTime() + SUBSCRIBE_LIMIT.toNanos();
        while (!subscribersOnTheChannel().equals("1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(subscribersOnTheChannel()).isEqualTo("1");
        awaitSubscription();
        String taskId = enqueue("acme");
        CompletableFuture.runAsync(() -> WorkerRecords.succeed(taskId, "{\"ok\":true}"), SOON);

        Timed answer = timed(() -> status(taskId, "acme", LONG_WAIT));

        assertThat(answer.response().jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(answer.elapsed()).isLessThan(WELL_BEFORE_THE_LIMIT);
    }

    @Test
    void logsNothingForWaitingReads() {
        String taskId = enqueue("acme");
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLoggerName() != null && record.getLoggerName().startsWith("io.aurum")) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);

        try {
            for (int poll = 0; poll < 5; poll++) {
                assertThat(status(taskId, "acme", "0.1").statusCode()).isEqualTo(202);
            }
            WorkerRecords.succeed(taskId, "{\"ok\":true}");
            assertThat(status(taskId, "acme", LONG_WAIT).statusCode()).isEqualTo(200);
        } finally {
            root.removeHandler(capture);
        }

        assertThat(records).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "30.001", "31", "abc", "1e1", "+5", ".5", "5.", " 5", "NaN"})
    void refusesAMalformedWaitWith400(String wait) {
        String taskId = enqueue("acme");

        Response response = status(taskId, "acme", wait);

        assertProblem(response, 400, "/v1/tasks/" + taskId);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-wait");
        assertThat(response.jsonPath().getString("detail")).contains("wait", "30");
    }

    @Test
    void refusesAWaitGivenWithoutAValue() {
        String taskId = enqueue("acme");

        Response response = status(taskId, "acme", "");

        assertProblem(response, 400, "/v1/tasks/" + taskId);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-wait");
        assertThat(response.jsonPath().getString("detail")).contains("wait", "without a value");
    }

    @Test
    void refusesAMalformedWaitOnTheRunbookPathToo() {
        String taskId = ids.next();

        Response response = given().header("X-Aurum-Tenant", "acme").queryParam("wait", "forever")
                .get("/v1/heavy/{id}", taskId);

        assertProblem(response, 400, "/v1/heavy/" + taskId);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-wait");
    }

    private static String subscribersOnTheChannel() {
        return RedisTestResource.server().command("PUBSUB", "NUMSUB", RedisKeys.taskDoneChannel()).lines()
                .skip(1).findFirst().orElse("");
    }

    /** An answer and how long the client waited for it. */
    private record Timed(Response response, Duration elapsed) {
    }

    private static Timed timed(java.util.function.Supplier<Response> call) {
        long start = System.nanoTime();
        Response response = call.get();
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }

    private static String enqueue(String tenant) {
        Response response = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON)
                .body("{\"n\":1}").post("/v1/jobs/{job}", "heavy_compute");
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }

    private static Response status(String taskId, String tenant, String wait) {
        var request = given().header("X-Aurum-Tenant", tenant);
        if (wait != null) {
            request = request.queryParam("wait", wait);
        }
        return request.get("/v1/tasks/{id}", taskId);
    }
}

package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.testing.RedisTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The {@code Idempotency-Key} contract, run against each layout of broker and result backend (their enqueue paths
 * differ). Each test uses a fresh key and a payload marked with it, so it can count its own queued messages.
 */
abstract class IdempotencyContract {

    private static final int CONCURRENT_FIRST_USES = 8;

    @Test
    void answersARepeatWithTheFirstTaskIdAndEnqueuesNothing() {
        String key = freshKey();
        String first = enqueue("acme", key, payload(key, 1)).jsonPath().getString("task_id");

        Response repeat = enqueue("acme", key, payload(key, 1));

        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(repeat.jsonPath().getString("task_id")).isEqualTo(first);
        assertThat(repeat.jsonPath().getString("status_url")).isEqualTo("/v1/tasks/" + first);
        assertThat(queuedWith(key)).isEqualTo(1);
    }

    @Test
    void treatsTheSamePayloadWithKeysInAnotherOrderAsARepeat() {
        String key = freshKey();
        String first = enqueue("acme", key, "{\"a\":1,\"b\":\"" + key + "\"}").jsonPath().getString("task_id");

        Response repeat = enqueue("acme", key, "{\"b\":\"" + key + "\",\"a\":1}");

        assertThat(repeat.jsonPath().getString("task_id")).isEqualTo(first);
    }

    @Test
    void refusesTheKeyWithAnotherPayloadWith422AndEnqueuesNothing() {
        String key = freshKey();
        String first = enqueue("acme", key, payload(key, 1)).jsonPath().getString("task_id");

        Response reuse = enqueue("acme", key, payload(key, 2));

        assertProblem(reuse, 422, "/v1/jobs/heavy_compute");
        assertThat(reuse.jsonPath().getString("type")).endsWith(":idempotency-conflict");
        assertThat(reuse.asString()).doesNotContain(first);
        assertThat(queuedWith(key)).isEqualTo(1);
    }

    @Test
    void refusesTheKeyForAnotherJobWith422() {
        String key = freshKey();
        enqueue("acme", key, payload(key, 1));

        Response reuse = given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(payload(key, 1)).post("/v1/jobs/{job}", "sleep");

        assertProblem(reuse, 422, "/v1/jobs/sleep");
    }

    @Test
    void givesAnotherTenantItsOwnTaskForTheSameKey() {
        String key = freshKey();
        String acmes = enqueue("acme", key, payload(key, 1)).jsonPath().getString("task_id");

        Response globex = enqueue("globex", key, payload(key, 1));

        assertThat(globex.statusCode()).isEqualTo(202);
        assertThat(globex.jsonPath().getString("task_id")).isNotEqualTo(acmes);
        assertThat(queuedWith(key)).isEqualTo(2);
    }

    @Test
    void answersTheRunbooksHeavyRepeatWithTheFirstTaskId() {
        String key = freshKey();
        String first = given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", key).post("/v1/heavy")
                .jsonPath().getString("task_id");

        Response repeat = given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", key).post("/v1/heavy");

        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(repeat.jsonPath().getString("task_id")).isEqualTo(first);
    }

    @Test
    void answersConcurrentFirstUsesOfAKeyWithOneTaskThatStaysPending() throws Exception {
        String key = freshKey();
        List<Future<Response>> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT_FIRST_USES);
        try {
            for (int i = 0; i < CONCURRENT_FIRST_USES; i++) {
                answers.add(clients.submit(() -> enqueue("acme", key, payload(key, 1))));
            }
            Set<String> taskIds = new HashSet<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(202);
                taskIds.add(response.jsonPath().getString("task_id"));
            }

            assertThat(taskIds).hasSize(1);
            Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskIds.iterator().next());
            assertThat(status.jsonPath().getString("state")).isEqualTo("PENDING");
        } finally {
            clients.shutdownNow();
        }
    }

    static Response enqueue(String tenant, String key, String payload) {
        return given().header("X-Aurum-Tenant", tenant).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(payload).post("/v1/jobs/{job}", "heavy_compute");
    }

    static String freshKey() {
        return "order-" + UUID.randomUUID();
    }

    private static String payload(String key, int n) {
        return "{\"key\":\"" + key + "\",\"n\":" + n + "}";
    }

    /** How many messages on the default queue carry a payload marked with {@code key}. */
    private static long queuedWith(String key) {
        String reply = RedisTestResource.server().command(WorkerRecords.BROKER_DB, "LRANGE",
                RedisKeys.pending(WorkerRecords.QUEUE), "0", "-1");
        return reply.lines().filter(message -> message.contains(key)).count();
    }
}

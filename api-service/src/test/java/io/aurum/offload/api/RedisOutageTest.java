package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Redis going away and coming back. Each test stops the server and leaves it running again, so that test classes
 * sharing the resource are not disturbed.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisOutageTest {

    private static final String TASK_ID = "AAAAAAAAAAAAAAAAAAAAAAAA";
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

    @AfterEach
    void restartRedisIfDown() {
        try {
            RedisTestResource.server().command("PING");
        } catch (IllegalStateException down) {
            RedisTestResource.server().restart();
        }
    }

    @Test
    void answersAnEnqueueWith503AndRetryAfterWhileRedisIsDown() {
        RedisTestResource.server().kill();

        Response response = enqueue();

        assertProblem(response, 503, "/v1/jobs/heavy_compute");
        assertThat(response.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void advisesAnIdempotencyKeyWhenRefusingAnEnqueueWhileRedisIsDown() {
        RedisTestResource.server().kill();

        Response response = enqueue();

        assertProblem(response, 503, "/v1/jobs/heavy_compute");
        assertThat(response.jsonPath().getString("detail")).contains("Idempotency-Key")
                .doesNotContain("nothing was changed");
    }

    @Test
    void answersAStatusReadWith503AndRetryAfterWhileRedisIsDown() {
        RedisTestResource.server().kill();

        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", TASK_ID);

        assertProblem(response, 503, "/v1/tasks/" + TASK_ID);
        assertThat(response.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void servesAgainOnItsOwnOnceRedisIsBack() throws InterruptedException {
        RedisTestResource.server().kill();
        assertThat(enqueue().statusCode()).isEqualTo(503);

        RedisTestResource.server().restart();
        Response response = enqueueUntilNot503();

        assertThat(response.statusCode()).isEqualTo(202);
        String taskId = response.jsonPath().getString("task_id");
        assertThat(given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId).statusCode())
                .isEqualTo(202);
    }

    /** Retries the enqueue every 100 ms until it is not refused as unavailable, for at most 30 s. */
    private static Response enqueueUntilNot503() throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        Response response = enqueue();
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = enqueue();
        }
        return response;
    }

    private static Response enqueue() {
        return given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "heavy_compute");
    }
}

package io.aurum.offload.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The worker's health at the Quarkus paths against a real redis-server: ready while Redis answers and its processors
 * consume, not ready while Redis is down and ready again by itself, alive throughout. Each test leaves Redis running.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WorkerHealthTest {

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
    void isReadyWhileRedisAnswersAndItsProcessorsConsume() {
        Response ready = given().get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(check(ready.jsonPath(), "redis", "data.broker")).isEqualTo("UP");
        assertThat(check(ready.jsonPath(), "redis", "data.results")).isEqualTo("UP");
        assertThat(check(ready.jsonPath(), "consumers", "status")).isEqualTo("UP");
        assertThat(check(ready.jsonPath(), "consumers", "data.phase")).isEqualTo("consuming");
        assertThat(check(ready.jsonPath(), "consumers", "data.processors_alive")).isEqualTo("1");
        assertThat(ready.jsonPath().getList("checks.name", String.class)).as("our checks only")
                .containsExactlyInAnyOrder("redis", "consumers");
    }

    @Test
    void isNotReadyButAliveWhileRedisIsDown() {
        RedisTestResource.server().kill();

        Response ready = given().get("/q/health/ready");
        Response live = given().get("/q/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(check(ready.jsonPath(), "redis", "status")).isEqualTo("DOWN");
        assertThat(check(ready.jsonPath(), "consumers", "status")).as("processors wait for Redis").isEqualTo("UP");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(check(live.jsonPath(), "processors", "status")).isEqualTo("UP");
    }

    @Test
    void isReadyAgainOnItsOwnOnceRedisIsBack() {
        RedisTestResource.server().kill();
        assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(503);

        RedisTestResource.server().restart();

        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        int status = 503;
        while (status != 200 && System.nanoTime() < deadline) {
            status = given().get("/q/health/ready").statusCode();
        }
        assertThat(status).as("readiness within %s of Redis coming back", RECOVERY_LIMIT).isEqualTo(200);
        assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
    }

    private static String check(JsonPath health, String name, String field) {
        return health.getString("checks.find { it.name == '" + name + "' }." + field);
    }
}

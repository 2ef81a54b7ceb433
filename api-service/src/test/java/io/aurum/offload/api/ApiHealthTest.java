package io.aurum.offload.api;

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
 * The api's health at the Quarkus paths against a real redis-server: ready while Redis answers, not ready while it
 * is down and ready again by itself; alive throughout. Each test leaves Redis running for the classes sharing it.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ApiHealthTest {

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
    void isReadyWhenRedisAnswersOnBrokerAndResults() {
        Response ready = given().get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.jsonPath().getString("status")).isEqualTo("UP");
        assertThat(check(ready.jsonPath(), "redis", "data.broker")).isEqualTo("UP");
        assertThat(check(ready.jsonPath(), "redis", "data.results")).isEqualTo("UP");
    }

    @Test
    void isNotReadyButAliveWhileRedisIsDown() {
        RedisTestResource.server().kill();

        Response ready = given().get("/q/health/ready");
        Response live = given().get("/q/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.jsonPath().getString("status")).isEqualTo("DOWN");
        assertThat(check(ready.jsonPath(), "redis", "status")).isEqualTo("DOWN");
        assertThat(check(ready.jsonPath(), "redis", "data.broker")).startsWith("DOWN");
        // Quarkus' own "Graceful Shutdown" check stays UP until a stop; no check of Redis may.
        assertThat(ready.jsonPath().getList("checks.findAll { it.status == 'UP' }.name", String.class))
                .as("checks still UP").noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("redis"));
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.jsonPath().getString("status")).isEqualTo("UP");
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

    @Test
    void answersTheStartupProbe() {
        Response started = given().get("/q/health/started");

        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.jsonPath().getString("status")).isEqualTo("UP");
    }

    /** A field of the named check in a health answer. */
    static String check(JsonPath health, String name, String field) {
        return health.getString("checks.find { it.name == '" + name + "' }." + field);
    }
}

package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.aurum.offload.testing.OneDatabaseRedisTestResource;
import io.aurum.offload.testing.RedisTestResource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.aurum.offload.redis.RedisKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A delayed enqueue with broker and result backend in one database, where one script parks and records it. */
@QuarkusTest
@WithTestResource(OneDatabaseRedisTestResource.class)
class EnqueueDelayOnOneDatabaseTest {

    @Test
    void parksTheTaskInTheDelayedSetAndRecordsItsEarliestStart() {
        Instant notBefore = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .queryParam("not_before", notBefore.toString()).post("/v1/jobs/{job}", "heavy_compute");

        assertThat(response.statusCode()).isEqualTo(202);
        String taskId = response.jsonPath().getString("task_id");
        String delayed = redis("ZRANGE", RedisKeys.delayed("default"), "0", "-1", "WITHSCORES");
        assertThat(delayed).contains(taskId).endsWith(Long.toString(notBefore.toEpochMilli()));
        assertThat(redis("LRANGE", RedisKeys.pending("default"), "0", "-1")).doesNotContain(taskId);
        assertThat(redis("HGET", RedisKeys.task(taskId), "state")).isEqualTo("PENDING");
        assertThat(redis("HGET", RedisKeys.task(taskId), "not_before"))
                .isEqualTo(Long.toString(notBefore.toEpochMilli()));
    }

    private static String redis(String... command) {
        return RedisTestResource.server().command(0, command);
    }
}

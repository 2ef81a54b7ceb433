package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * On the stub the api needs no Redis: it is ready although the Redis the profile names is a closed port, and it
 * publishes no queue gauges (there is no queue to read).
 */
@QuarkusTest
@TestProfile(StubProfiles.Disabled.class)
class StubHealthTest {

    @Test
    void isReadyWithoutRedis() {
        Response ready = given().get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ApiHealthTest.check(ready.jsonPath(), "redis", "status")).isEqualTo("UP");
        assertThat(ApiHealthTest.check(ready.jsonPath(), "redis", "data.backend")).isEqualTo("stub");
    }

    @Test
    void publishesNoQueueGauges() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).doesNotContain("aurum_queue_depth").doesNotContain("aurum_workers_alive");
    }
}

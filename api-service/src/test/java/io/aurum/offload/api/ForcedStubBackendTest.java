package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * use-stub=true wins over enabled=true: tasks go to the stub, and the unreachable Redis the profile names is never
 * asked (it would answer 503).
 */
@QuarkusTest
@TestProfile(StubProfiles.Forced.class)
class ForcedStubBackendTest {

    @Test
    void servesTasksFromTheStubThoughOffloadIsEnabled() {
        Response enqueued = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "heavy_compute");
        String taskId = enqueued.jsonPath().getString("task_id");

        Response status = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(enqueued.statusCode()).isEqualTo(202);
        assertThat(taskId).matches("stub-\\d{8}");
        assertThat(status.statusCode()).isEqualTo(202);
        assertThat(status.jsonPath().getString("state")).isEqualTo("PENDING");
    }
}

package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** The stub's eager mode runs jobs in the api's own process, so results appear with no Redis and no worker. */
@QuarkusTest
@TestProfile(StubProfiles.Eager.class)
class EagerStubBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL_LIMIT = Duration.ofSeconds(20);

    @Test
    void runsTheRunbookExampleToSuccess() throws Exception {
        String taskId = given().header("X-Aurum-Tenant", "acme").post("/v1/heavy").jsonPath().getString("task_id");

        Response response = pollUntilFinished(taskId, "acme");

        assertThat(taskId).matches("stub-\\d{8}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("SUCCESS");
        assertThat(JSON.readTree(response.asString()).get("result"))
                .isEqualTo(JSON.readTree("{\"ok\":true,\"input\":{\"tenant\":\"acme\"}}"));
    }

    @Test
    void answersAWaitingReadOnceTheJobHasRun() {
        String taskId = given().header("X-Aurum-Tenant", "acme").post("/v1/heavy").jsonPath().getString("task_id");

        Response response = given().header("X-Aurum-Tenant", "acme").queryParam("wait", "20")
                .get("/v1/tasks/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("SUCCESS");
    }

    /** Polls every 50 ms while the answer is 202, for at most 20 s. */
    private static Response pollUntilFinished(String taskId, String tenant) throws InterruptedException {
        long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
        Response response = given().header("X-Aurum-Tenant", tenant).get("/v1/heavy/{id}", taskId);
        while (response.statusCode() == 202 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = given().header("X-Aurum-Tenant", tenant).get("/v1/heavy/{id}", taskId);
        }
        return response;
    }
}

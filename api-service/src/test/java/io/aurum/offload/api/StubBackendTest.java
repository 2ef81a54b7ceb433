package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** With offload disabled the api answers from the stub, as the runbook describes, and needs no Redis. */
@QuarkusTest
@TestProfile(StubProfiles.Disabled.class)
class StubBackendTest {

    @Test
    void givesDeterministicIdsThatCountUpByOne() {
        String first = enqueue("acme");

        String second = enqueue("acme");

        assertThat(first).matches("stub-\\d{8}");
        assertThat(second).matches("stub-\\d{8}");
        assertThat(sequenceOf(second)).isEqualTo(sequenceOf(first) + 1);
    }

    @Test
    void keepsTasksPending() {
        String taskId = enqueue("acme");

        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.jsonPath().getString("state")).isEqualTo("PENDING");
    }

    @Test
    void answers404ForAnUnknownStubId() {
        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/tasks/{id}", "stub-99999999");

        assertProblem(response, 404, "/v1/tasks/stub-99999999");
    }

    @Test
    void answers404ForAnotherTenantsStubId() {
        String taskId = enqueue("acme");

        Response response = given().header("X-Aurum-Tenant", "globex").get("/v1/tasks/{id}", taskId);

        assertProblem(response, 404, "/v1/tasks/" + taskId);
    }

    @Test
    void runsTheRunbookExampleOnTheStub() {
        Response response = given().header("X-Aurum-Tenant", "acme").post("/v1/heavy");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.jsonPath().getString("task_id")).matches("stub-\\d{8}");
    }

    @Test
    void revokesAStubTaskThatHasNotStarted() {
        String taskId = enqueue("acme");

        Response response = given().header("X-Aurum-Tenant", "acme").delete("/v1/tasks/{id}", taskId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("REVOKED");
    }

    @Test
    void answers404ToACancelOfAnotherTenantsStubTask() {
        String taskId = enqueue("acme");

        Response response = given().header("X-Aurum-Tenant", "globex").delete("/v1/tasks/{id}", taskId);

        assertProblem(response, 404, "/v1/tasks/" + taskId);
    }

    @Test
    void listsNoDeadLettersOnTheStub() {
        Response response = asAdmin().get("/v1/admin/queues/default/dead-letters");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("dead_letters")).isEmpty();
        assertThat(response.jsonPath().getLong("total")).isZero();
    }

    @Test
    void answers404ToADeadLetterRequeueOnTheStub() {
        String path = "/v1/admin/queues/default/dead-letters/stub-00000001/requeue";

        Response response = asAdmin().post(path);

        assertProblem(response, 404, path);
    }

    @Test
    void stillRefusesTheAdminEndpointsWithoutCredentialsOnTheStub() {
        Response response = given().get("/v1/admin/queues/default/dead-letters");

        assertProblem(response, 401, "/v1/admin/queues/default/dead-letters");
    }

    private static io.restassured.specification.RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", "operator-secret-for-tests");
    }

    private static String enqueue(String tenant) {
        Response response = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "heavy_compute");
        assertThat(response.statusCode()).isEqualTo(202);
        return response.jsonPath().getString("task_id");
    }

    static long sequenceOf(String stubId) {
        return Long.parseLong(stubId.substring("stub-".length()));
    }
}

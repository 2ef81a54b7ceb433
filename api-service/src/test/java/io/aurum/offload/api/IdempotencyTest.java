package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Idempotency keys with broker and result backend in separate databases (the default layout), where the key is
 * claimed after the task is queued; and the header's format.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class IdempotencyTest extends IdempotencyContract {

    @ParameterizedTest
    @ValueSource(strings = {"tab\tinside", "caf\u00e9"})
    void refusesAKeyThatIsNotPrintableAsciiWith400(String key) {
        Response response = enqueue("acme", key, "{}");

        assertProblem(response, 400, "/v1/jobs/heavy_compute");
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-idempotency-key");
        assertThat(response.jsonPath().getString("detail")).contains("1 to 255 printable ASCII");
    }

    @Test
    void refusesTwoKeysWith400() {
        Response response = given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", "one")
                .header("Idempotency-Key", "two").contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/heavy_compute");

        assertProblem(response, 400, "/v1/jobs/heavy_compute");
    }

    @Test
    void refusesAnEmptyKeyWith400() throws Exception {
        // Sent with the JDK's client, which keeps an empty header value as it is.
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/v1/jobs/heavy_compute"))
                .header("X-Aurum-Tenant", "acme").header("Idempotency-Key", "")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(30)).build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid-idempotency-key");
    }

    @Test
    void refusesAKeyOf256CharactersWith400() {
        Response response = enqueue("acme", "k".repeat(256), "{}");

        assertProblem(response, 400, "/v1/jobs/heavy_compute");
    }

    @Test
    void acceptsAKeyOf255PrintableCharacters() {
        String key = (freshKey() + " ~!@#$%^&*()[]{}<>?/\\|;:'\",.`").repeat(10).substring(0, 255);

        Response response = enqueue("acme", key, "{}");

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void refusesAMalformedKeyOnTheRunbooksHeavyPostWith400() {
        Response response = given().header("X-Aurum-Tenant", "acme").header("Idempotency-Key", "k".repeat(256))
                .contentType(ContentType.JSON).post("/v1/heavy");

        assertProblem(response, 400, "/v1/heavy");
    }
}

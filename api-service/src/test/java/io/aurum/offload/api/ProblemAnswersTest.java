package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every refused request answers in the problem format with a status that says whose fault it is. The payload
 * limit is 64 KiB in the tests' application.properties.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ProblemAnswersTest {

    private static final String JOB_PATH = "/v1/jobs/heavy_compute";
    private static final int LIMIT = 64 * 1024;

    @Test
    void refusesAnEnqueueWithoutTenantWith400() {
        Response response = given().contentType(ContentType.JSON).body("{}").post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("X-Aurum-Tenant");
    }

    @Test
    void refusesAStatusReadWithoutTenantWith400() {
        Response response = given().get("/v1/tasks/{id}", "AAAAAAAAAAAAAAAAAAAAAAAA");

        assertProblem(response, 400, "/v1/tasks/AAAAAAAAAAAAAAAAAAAAAAAA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-acme", "ac me", "acme/other", "a{b}", "_acme"})
    void refusesAMalformedTenantWith400(String tenant) {
        Response response = given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON).body("{}")
                .post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("type")).endsWith(":invalid-tenant");
    }

    @Test
    void refusesATenantLongerThan64CharactersWith400() {
        Response response = given().header("X-Aurum-Tenant", "t".repeat(65)).contentType(ContentType.JSON)
                .body("{}").post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
    }

    @Test
    void acceptsATenantOf64Characters() {
        Response response = given().header("X-Aurum-Tenant", "t".repeat(64)).contentType(ContentType.JSON)
                .body("{}").post(JOB_PATH);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "42", "null", "true"})
    void refusesABodyThatIsNotAJsonObjectWith400(String body) {
        Response response = post(body);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{a:1}", "{\"a\":1,}", "{} {}", "{\"a\":'x'}"})
    void refusesMalformedJsonWith400(String body) {
        Response response = post(body);

        assertProblem(response, 400, JOB_PATH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": Infinity}", "{\"a\": NaN}", "{\"a\": +1}", "{/* comment */ \"a\": 1}",
            "{\"a\": 1} // comment"})
    void refusesNonStandardJsonWith400WithoutQuotingTheParsersOwnSettings(String body) {
        Response response = post(body);

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).startsWith("The payload is not valid JSON: ")
                .doesNotContain("Feature", "`", "enable");
    }

    @Test
    void refusesDuplicateKeysWith400() {
        Response response = post("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}");

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("'c'");
    }

    @Test
    void acceptsNestingUpToTheDepthLimit() {
        Response response = post(nested(64));

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void refusesNestingDeeperThanTheLimitWith400() {
        Response response = post(nested(65));

        assertProblem(response, 400, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains("64");
    }

    @Test
    void refusesAnEmptyBodyWith400() {
        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).post(JOB_PATH);

        assertProblem(response, 400, JOB_PATH);
    }

    @Test
    void acceptsAPayloadOfExactlyTheLimit() {
        Response response = post(payloadOfBytes(LIMIT));

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void refusesAPayloadOneByteOverTheLimitWith413() {
        Response response = post(payloadOfBytes(LIMIT + 1));

        assertProblem(response, 413, JOB_PATH);
        assertThat(response.jsonPath().getString("detail")).contains(Integer.toString(LIMIT));
    }

    @Test
    void refusesAContentTypeOtherThanJsonWith415() {
        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.TEXT).body("{}")
                .post(JOB_PATH);

        assertProblem(response, 415, JOB_PATH);
    }

    @Test
    void refusesABodyWithoutContentTypeWith415() {
        Response response = given().header("X-Aurum-Tenant", "acme").body("{}".getBytes(StandardCharsets.UTF_8))
                .post(JOB_PATH);

        assertProblem(response, 415, JOB_PATH);
    }

    @Test
    void refusesAnAcceptHeaderWithoutJsonWith406() {
        Response response = given().header("X-Aurum-Tenant", "acme").accept(ContentType.TEXT)
                .get("/v1/tasks/{id}", "AAAAAAAAAAAAAAAAAAAAAAAA");

        assertProblem(response, 406, "/v1/tasks/AAAAAAAAAAAAAAAAAAAAAAAA");
    }

    @Test
    void refusesAnUnknownJobWith404() {
        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .post("/v1/jobs/{job}", "no_such_job");

        assertProblem(response, 404, "/v1/jobs/no_such_job");
        assertThat(response.jsonPath().getString("type")).endsWith(":unknown-job");
    }

    @Test
    void answersAnUnknownPathUnderTheApiWith404() {
        Response response = given().header("X-Aurum-Tenant", "acme").get("/v1/nothing-here");

        assertProblem(response, 404, "/v1/nothing-here");
    }

    @Test
    void answersAnUnknownPathOutsideTheApiWith404() {
        Response response = given().get("/nothing-here");

        assertProblem(response, 404, "/nothing-here");
    }

    @Test
    void answersAGetOnTheEnqueuePathWith405() {
        Response response = given().header("X-Aurum-Tenant", "acme").get(JOB_PATH);

        assertProblem(response, 405, JOB_PATH);
    }

    @Test
    void answersAPutOnATaskWith405() {
        Response response = given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON).body("{}")
                .put("/v1/tasks/{id}", "AAAAAAAAAAAAAAAAAAAAAAAA");

        assertProblem(response, 405, "/v1/tasks/AAAAAAAAAAAAAAAAAAAAAAAA");
    }

    private static Response post(String body) {
        return given().header("X-Aurum-Tenant", "acme").contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8)).post(JOB_PATH);
    }

    /** An object holding {@code depth} levels of objects in all, the outermost included. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** A JSON object of exactly {@code size} bytes. */
    private static String payloadOfBytes(int size) {
        String frame = "{\"pad\":\"\"}";
        return frame.substring(0, 8) + "x".repeat(size - frame.length()) + frame.substring(8);
    }
}

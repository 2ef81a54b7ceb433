package io.aurum.offload.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Checks that an answer is a complete RFC 9457 problem that gives nothing of the server's insides away. */
final class ProblemAssertions {

    private ProblemAssertions() {
    }

    static void assertProblem(Response response, int status, String path) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        JsonPath body = response.jsonPath();
        assertThat(body.getString("type")).startsWith("urn:aurum-offload:problem:");
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.getString("instance")).isEqualTo(path);
        assertThat(response.asString()).doesNotContain("Exception", "\tat ", "java.", "io.aurum", "io.vertx",
                "jakarta.", "org.jboss");
    }
}

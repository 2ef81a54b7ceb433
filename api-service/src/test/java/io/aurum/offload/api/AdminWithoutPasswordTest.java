package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static io.aurum.offload.api.ProblemAssertions.assertProblem;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** With no admin password set there is no admin user: the admin endpoints refuse every password, empty included. */
@QuarkusTest
@TestProfile(AdminWithoutPasswordTest.NoAdminPassword.class)
@WithTestResource(RedisTestResource.class)
class AdminWithoutPasswordTest {

    private static final String DEAD_LETTERS = "/v1/admin/queues/default/dead-letters";

    /** The tests' application.properties sets a password; this profile takes it away again. */
    public static class NoAdminPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aurum.api.offload.api.admin-password", "");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "admin", "operator-secret-for-tests", "null"})
    void refusesTheAdminUserWhateverThePassword(String password) {
        Response response = given().auth().preemptive().basic("admin", password).get(DEAD_LETTERS);

        assertProblem(response, 401, DEAD_LETTERS);
    }
}

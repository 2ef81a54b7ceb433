package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code POST /v1/jobs/{job}} against a real redis-server: the answer, the queued message and the record. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class EnqueueTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answers202WithAUrlSafeTaskIdAndItsStatusUrl() {
        Response response = enqueue("acme", "{\"n\":1}");

        assertThat(response.statusCode()).isEqualTo(202);
        String taskId = response.jsonPath().getString("task_id");
        assertThat(taskId).matches("[A-Za-z0-9_-]{24}");
        assertThat(response.jsonPath().getString("status_url")).isEqualTo("/v1/tasks/" + taskId);
    }

    @Test
    void answersWithAnAbsoluteLocationOfTheTaskStatus() {
        Response response = enqueue("acme", "{}");

        String taskId = response.jsonPath().getString("task_id");
        URI location = URI.create(response.header("Location"));
        assertThat(location.isAbsolute()).isTrue();
        assertThat(location.getPath()).isEqualTo("/v1/tasks/" + taskId);
    }

    @Test
    void givesEveryTaskADifferentId() {
        String first = enqueue("acme", "{}").jsonPath().getString("task_id");

        String second = enqueue("acme", "{}").jsonPath().getString("task_id");

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void queuesTheTaskOnTheDefaultQueueOfTheBroker() throws Exception {
        String taskId = enqueue("acme", "{\"n\":7}").jsonPath().getString("task_id");

        JsonNode message = WorkerRecords.queuedMessage(taskId);

        assertThat(message.get("job").asText()).isEqualTo("heavy_compute");
        assertThat(message.get("queue").asText()).isEqualTo("default");
        assertThat(message.get("tenant").asText()).isEqualTo("acme");
        assertThat(message.get("payload")).isEqualTo(JSON.readTree("{\"n\":7}"));
    }

    @Test
    void recordsTheTaskPendingWithItsTenantInTheResultBackend() {
        String taskId = enqueue("acme", "{}").jsonPath().getString("task_id");

        Map<String, String> record = WorkerRecords.record(taskId);

        assertThat(record).containsEntry("state", "PENDING").containsEntry("tenant", "acme")
                .containsEntry("job", "heavy_compute").containsEntry("queue", "default").containsKey("created");
    }

    @Test
    void queuesAUnicodePayloadExactlyAsSent() throws Exception {
        String payload = "{\"text\":\"Grüße, 日本語, עברית, emoji 😀🧪, e\\u0301, \\u0000 \\\" \\\\ \\n\","
                + "\"keys\":{\"ключ\":\"значение\",\"𝄞\":[\"\\ud83d\\ude00\",1.5e3,-0,true,null]}}";

        String taskId = enqueue("acme", payload).jsonPath().getString("task_id");

        assertThat(WorkerRecords.queuedMessage(taskId).get("payload")).isEqualTo(JSON.readTree(payload));
    }

    private static Response enqueue(String tenant, String payload) {
        return given().header("X-Aurum-Tenant", tenant).contentType(ContentType.JSON)
                .body(payload.getBytes(StandardCharsets.UTF_8))
                .post("/v1/jobs/{job}", "heavy_compute");
    }
}

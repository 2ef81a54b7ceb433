package io.aurum.offload.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The served OpenAPI document, read as a client generator reads it (swagger-parser, references resolved): valid,
 * with every operation, its parameters and headers, its answers and their schemas and examples, and a problem
 * document for every error it can answer.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    private static String served;
    private static SwaggerParseResult parsed;
    private static OpenAPI api;

    /** Once per class, but after Quarkus gave RestAssured its port, which it does before each test. */
    @BeforeEach
    void readTheDocument() {
        if (served != null) {
            return;
        }
        served = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        parsed = new OpenAPIV3Parser().readContents(served, null, options);
        api = parsed.getOpenAPI();
    }

    @Test
    void isAValidDocumentWithoutAnyParserMessage() throws Exception {
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(api).isNotNull();
        assertThat(JSON.readTree(served).path("openapi").asText()).startsWith("3.");
        assertThat(api.getInfo().getTitle()).isEqualTo("Aurum Offload API");
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.of("/v1/jobs/{job}", PathItem.HttpMethod.POST, "enqueueJob"),
                Arguments.of("/v1/tasks/{task_id}", PathItem.HttpMethod.GET, "getTask"),
                Arguments.of("/v1/tasks/{task_id}", PathItem.HttpMethod.DELETE, "cancelTask"),
                Arguments.of("/v1/heavy", PathItem.HttpMethod.POST, "enqueueHeavy"),
                Arguments.of("/v1/heavy/{task_id}", PathItem.HttpMethod.GET, "getHeavyTask"),
                Arguments.of("/v1/admin/queues", PathItem.HttpMethod.GET, "listQueues"),
                Arguments.of("/v1/admin/queues/{queue}", PathItem.HttpMethod.GET, "getQueue"),
                Arguments.of("/v1/admin/queues/{queue}/purge", PathItem.HttpMethod.POST, "purgeQueue"),
                Arguments.of("/v1/admin/workers", PathItem.HttpMethod.GET, "listWorkers"),
                Arguments.of("/v1/admin/tasks", PathItem.HttpMethod.GET, "listRecentTasks"),
                Arguments.of("/v1/admin/queues/{queue}/dead-letters", PathItem.HttpMethod.GET, "listDeadLetters"),
                Arguments.of("/v1/admin/queues/{queue}/dead-letters/{task_id}/requeue", PathItem.HttpMethod.POST,
                        "requeueDeadLetter"),
                Arguments.of("/v1/admin/queues/{queue}/dead-letters/{task_id}", PathItem.HttpMethod.DELETE,
                        "deleteDeadLetter"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("operations")
    void describesEveryOperationWithItsIdSummaryAndTag(String path, PathItem.HttpMethod method, String id) {
        Operation operation = operation(path, method);

        assertThat(operation.getOperationId()).isEqualTo(id);
        assertThat(operation.getSummary()).isNotBlank();
        assertThat(operation.getTags()).hasSize(1);
    }

    @Test
    void listsNoOperationBeyondTheApisOwn() {
        long documented = api.getPaths().values().stream().mapToLong(item -> item.readOperations().size()).sum();

        assertThat(documented).isEqualTo(operations().count());
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("operations")
    void answersEveryErrorWithAProblemDocument(String path, PathItem.HttpMethod method, String id) {
        Map<String, ApiResponse> responses = operation(path, method).getResponses();

        assertThat(responses.keySet()).anyMatch(code -> code.startsWith("4"));
        assertThat(responses).allSatisfy((code, reference) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                ApiResponse response = resolve(reference);
                MediaType problem = response.getContent().get(PROBLEM);
                assertThat(problem).as("%s %s", id, code).isNotNull();
                assertThat(problem.getSchema().get$ref()).endsWith("/Problem");
                assertThat(response.getContent()).containsOnlyKeys(PROBLEM);
            }
        });
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("operations")
    void namesTheTenantOnTenantOperationsAndBasicAuthOnAdminOnes(String path, PathItem.HttpMethod method,
            String id) {
        Operation operation = operation(path, method);

        if (path.startsWith("/v1/admin")) {
            assertThat(operation.getSecurity()).anySatisfy(requirement -> assertThat(requirement).containsKey("admin"));
            assertThat(operation.getResponses()).containsKeys("401", "403");
            assertThat(parameterNames(operation)).doesNotContain("X-Aurum-Tenant");
        } else {
            assertThat(operation.getSecurity()).isNullOrEmpty();
            Parameter tenant = parameter(operation, "X-Aurum-Tenant");
            assertThat(tenant.getIn()).isEqualTo("header");
            assertThat(tenant.getRequired()).isTrue();
            assertThat(type(tenant.getSchema())).isEqualTo("string");
        }
    }

    @Test
    void declaresTheAdminCredentialAsHttpBasic() {
        var scheme = api.getComponents().getSecuritySchemes().get("admin");

        assertThat(scheme.getType().toString()).isEqualTo("http");
        assertThat(scheme.getScheme()).isEqualTo("basic");
    }

    @Test
    void describesTheEnqueueWithItsBodyHeadersDelaysAndAnswers() {
        Operation enqueue = operation("/v1/jobs/{job}", PathItem.HttpMethod.POST);

        MediaType body = enqueue.getRequestBody().getContent().get("application/json");
        assertThat(enqueue.getRequestBody().getRequired()).isTrue();
        assertThat(type(body.getSchema())).isEqualTo("object");
        assertThat(body.getExamples()).isNotEmpty();
        assertThat(parameterNames(enqueue)).contains("job", "countdown", "not_before", "Idempotency-Key",
                "X-Aurum-Tenant").doesNotContain("Content-Type");
        assertThat(type(parameter(enqueue, "countdown").getSchema())).isEqualTo("integer");
        assertThat(parameter(enqueue, "not_before").getSchema().getFormat()).isEqualTo("date-time");
        ApiResponse accepted = enqueue.getResponses().get("202");
        assertThat(accepted.getHeaders()).containsKey("Location");
        assertThat(accepted.getContent().get("application/json").getSchema().get$ref()).endsWith("/Accepted");
        assertThat(enqueue.getResponses()).containsKeys("400", "404", "413", "415", "422", "503");
        assertThat(response(enqueue, "503").getHeaders()).containsKey("Retry-After");
    }

    @Test
    void describesTheStatusReadWithItsWaitAndBothAnswers() {
        Operation status = operation("/v1/tasks/{task_id}", PathItem.HttpMethod.GET);

        Parameter wait = parameter(status, "wait");
        assertThat(wait.getIn()).isEqualTo("query");
        assertThat(type(wait.getSchema())).isEqualTo("number");
        assertThat(wait.getSchema().getMaximum()).isEqualByComparingTo("30");
        assertThat(parameter(status, "task_id").getSchema().getPattern()).isNotBlank();
        MediaType finished = response(status, "200").getContent().get("application/json");
        assertThat(finished.getSchema().get$ref()).endsWith("/TaskStatus");
        assertThat(finished.getExamples()).containsKeys("success", "failure", "revoked");
        assertThat(response(status, "202").getHeaders()).containsKey("Retry-After");
        assertThat(status.getResponses()).containsKeys("400", "404", "410", "503");
    }

    @Test
    void givesExamplesThatAreValidJsonOfTheRightShape() {
        Operation status = operation("/v1/tasks/{task_id}", PathItem.HttpMethod.GET);
        Object success = response(status, "200").getContent().get("application/json").getExamples()
                .get("success").getValue();

        JsonNode example = JSON.valueToTree(success);

        assertThat(example.path("state").asText()).isEqualTo("SUCCESS");
        assertThat(example.path("result").isObject()).isTrue();
        assertThat(example.has("task_id")).isTrue();
    }

    @Test
    void definesTheSchemasOfEveryAnswer() {
        var schemas = api.getComponents().getSchemas();

        assertThat(schemas).containsKeys("Accepted", "TaskStatus", "TaskError", "TaskState", "Problem", "QueueList",
                "QueueDepth", "WorkerList", "LiveWorker", "HeldTask", "TaskList", "RecentTask", "PurgeOutcome",
                "DeadLetterList", "DeadLetter");
        assertThat(schemas.get("TaskState").getEnum()).containsExactly("PENDING", "STARTED", "RETRY", "SUCCESS",
                "FAILURE", "REVOKED");
        assertThat(schemas.get("Problem").getRequired()).contains("type", "title", "status", "detail");
        assertThat(schemas.get("TaskStatus").getRequired()).contains("task_id", "job", "queue", "state",
                "created_at", "attempts");
        assertThat(schemas.get("TaskStatus").getProperties()).containsKeys("result", "error", "progress",
                "retry_at", "not_before");
        assertThat(schemas.keySet()).noneMatch(name -> name.contains("Node"));
    }

    @Test
    void servesSwaggerUi() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger-ui"));
    }

    private static Operation operation(String path, PathItem.HttpMethod method) {
        PathItem item = api.getPaths().get(path);
        assertThat(item).as("path %s", path).isNotNull();
        Operation operation = item.readOperationsMap().get(method);
        assertThat(operation).as("%s %s", method, path).isNotNull();
        return operation;
    }

    private static List<String> parameterNames(Operation operation) {
        return operation.getParameters() == null ? List.of()
                : operation.getParameters().stream().map(OpenApiDocumentTest::resolve).map(Parameter::getName).toList();
    }

    private static Parameter parameter(Operation operation, String name) {
        return operation.getParameters().stream().map(OpenApiDocumentTest::resolve)
                .filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(operation.getOperationId() + " has no parameter " + name));
    }

    private static ApiResponse response(Operation operation, String code) {
        return resolve(operation.getResponses().get(code));
    }

    /** The parameter a reference names in the components, as a generator follows it. */
    private static Parameter resolve(Parameter parameter) {
        return parameter.get$ref() == null ? parameter
                : api.getComponents().getParameters().get(componentName(parameter.get$ref()));
    }

    private static ApiResponse resolve(ApiResponse response) {
        return response.get$ref() == null ? response
                : api.getComponents().getResponses().get(componentName(response.get$ref()));
    }

    private static String componentName(String ref) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        assertThat(ref).as("reference").startsWith("#/components/");
        return name;
    }

    /** A schema's type, which the parser keeps as a set for OpenAPI 3.1 documents. */
    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        assertThat(schema.getTypes()).as("types of %s", schema).hasSize(1);
        return schema.getTypes().iterator().next();
    }
}

package io.aurum.offload.api;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.ws.rs.core.Application;

import io.aurum.offload.task.TaskStatus;

/**
 * What the api's OpenAPI document ({@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}) says beyond what the
 * resources' own annotations say: the title, the tags, and the parameters, headers and problem answers many
 * operations share, which they name by reference ({@code ref = ApiDocs.TENANT}...).
 *
 * <p>An {@link Application} because that is where the OpenAPI scanner reads {@link OpenAPIDefinition}; it adds no
 * path and names no classes, so every resource and provider stays as discovered.
 */
@OpenAPIDefinition(
        info = @Info(title = "Aurum Offload API", version = "1",
                description = "Async job offload: POST a job, get 202 and a task id at once, then read the task's "
                        + "status (optionally waiting for its end with ?wait=) until it is SUCCESS, FAILURE or "
                        + "REVOKED. Every request names its tenant in X-Aurum-Tenant; a tenant sees its own tasks "
                        + "only. The /v1/admin endpoints cross tenants and take the admin user's HTTP basic "
                        + "credentials instead. Every 4xx and 5xx answer is an RFC 9457 problem document."),
        tags = {
                @Tag(name = ApiDocs.TASKS, description = "Enqueue jobs, read and cancel the tenant's tasks."),
                @Tag(name = ApiDocs.RUNBOOK, description = "The runbook's heavy_compute example."),
                @Tag(name = ApiDocs.ADMIN, description = "For operators: queues, workers, recent tasks, purge and "
                        + "dead letters, across tenants. HTTP basic auth as the admin user.")},
        components = @Components(
                parameters = {
                        @Parameter(name = ApiDocs.TENANT, in = ParameterIn.HEADER, required = true,
                                description = "The calling tenant; send it once.",
                                schema = @Schema(type = SchemaType.STRING, pattern = ApiDocs.NAME_PATTERN),
                                example = "acme"),
                        @Parameter(name = ApiDocs.TASK_ID, in = ParameterIn.PATH, required = true,
                                description = "A task id as the enqueue answered it.",
                                schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9_-]{8,64}$"),
                                example = "mKrnBRhRlbTSt6s7NMWjwl2U"),
                        @Parameter(name = ApiDocs.WAIT, in = ParameterIn.QUERY,
                                description = "Long poll: wait up to this many seconds for the task to finish before "
                                        + "answering (a decimal, 0 to 30; 0 or absent answers at once). 404 and 410 "
                                        + "answer at once; beyond the api's limit of waiting reads it answers at once.",
                                schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "30"),
                                example = "10"),
                        @Parameter(name = ApiDocs.IDEMPOTENCY_KEY, in = ParameterIn.HEADER,
                                description = "A repeat with the same key from the same tenant within the "
                                        + "idempotency window answers 202 with the first task's id and queues "
                                        + "nothing; the same key for another job or payload answers 422.",
                                schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255,
                                        pattern = "^[\\x20-\\x7E]+$"),
                                example = "order-4711-resize"),
                        @Parameter(name = ApiDocs.QUEUE, in = ParameterIn.PATH, required = true,
                                description = "A queue name.",
                                schema = @Schema(type = SchemaType.STRING, pattern = ApiDocs.NAME_PATTERN),
                                example = "default"),
                        @Parameter(name = ApiDocs.LIMIT, in = ParameterIn.QUERY, description = "How many to list.",
                                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))},
                headers = {
                        @Header(name = ApiDocs.RETRY_AFTER, description = "Seconds to wait before asking again.",
                                schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
                        @Header(name = ApiDocs.LOCATION, description = "The absolute URL of the task's status.",
                                schema = @Schema(type = SchemaType.STRING, format = "uri"))},
                responses = {
                        @APIResponse(name = ApiDocs.TASK_FINISHED, responseCode = "200",
                                description = "The task finished: SUCCESS with its result, FAILURE with its error, or "
                                        + "REVOKED. It never changes again.",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = TaskStatus.class),
                                        examples = {
                                                @ExampleObject(name = "success", value = ApiDocs.SUCCESS_EXAMPLE),
                                                @ExampleObject(name = "failure", value = ApiDocs.FAILURE_EXAMPLE),
                                                @ExampleObject(name = "revoked", value = ApiDocs.REVOKED_EXAMPLE)})),
                        @APIResponse(name = ApiDocs.TASK_UNFINISHED, responseCode = "202",
                                description = "Not finished yet: PENDING, STARTED or RETRY. Ask again after "
                                        + "Retry-After, or wait with ?wait=.",
                                headers = @Header(name = ApiDocs.RETRY_AFTER, ref = ApiDocs.RETRY_AFTER),
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = TaskStatus.class),
                                        examples = @ExampleObject(name = "started",
                                                value = ApiDocs.UNFINISHED_EXAMPLE))),
                        @APIResponse(name = ApiDocs.BAD_REQUEST, responseCode = "400",
                                description = "The request is malformed: the detail says which part and how to fix it.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "missing-tenant",
                                                value = ApiDocs.MISSING_TENANT_EXAMPLE))),
                        @APIResponse(name = ApiDocs.UNAUTHORIZED, responseCode = "401",
                                description = "No admin credentials, or wrong ones.",
                                headers = @Header(name = "WWW-Authenticate", description = "The basic auth challenge.",
                                        schema = @Schema(type = SchemaType.STRING)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "unauthenticated",
                                                value = ApiDocs.UNAUTHENTICATED_EXAMPLE))),
                        @APIResponse(name = ApiDocs.FORBIDDEN, responseCode = "403",
                                description = "These credentials lack the admin role.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.DEAD_LETTER_NOT_FOUND, responseCode = "404",
                                description = "The queue holds no dead letter with this task id (that can run again, "
                                        + "for a requeue: unreadable data can only be deleted).",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.TASK_NOT_FOUND, responseCode = "404",
                                description = "No task with this id for this tenant: it never existed, or it is "
                                        + "another tenant's (the same answer for both).",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "task-not-found",
                                                value = ApiDocs.TASK_NOT_FOUND_EXAMPLE))),
                        @APIResponse(name = ApiDocs.TASK_EXPIRED, responseCode = "410",
                                description = "The tenant's own task finished and its result expired.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "task-expired",
                                                value = ApiDocs.TASK_EXPIRED_EXAMPLE))),
                        @APIResponse(name = ApiDocs.UNAVAILABLE, responseCode = "503",
                                description = "Redis is unreachable; retry after the delay given, with an "
                                        + "Idempotency-Key on enqueues.",
                                headers = @Header(name = ApiDocs.RETRY_AFTER, ref = ApiDocs.RETRY_AFTER),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "backend-unavailable",
                                                value = ApiDocs.BACKEND_UNAVAILABLE_EXAMPLE)))}))
public final class ApiDocs extends Application {

    /** Tenant and queue names: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit. */
    static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    static final String TASKS = "Tasks";
    static final String RUNBOOK = "Runbook";
    static final String ADMIN = "Admin";

    // Shared parameters: a component's name is also the name of the parameter it describes.
    static final String TENANT = Tenants.HEADER;
    static final String TASK_ID = "task_id";
    static final String WAIT = TaskWaits.WAIT;
    static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;
    static final String QUEUE = "queue";
    static final String LIMIT = "limit";

    static final String RETRY_AFTER = "Retry-After";
    static final String LOCATION = "Location";

    static final String TASK_FINISHED = "TaskFinished";
    static final String TASK_UNFINISHED = "TaskUnfinished";
    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String TASK_NOT_FOUND = "TaskNotFound";
    static final String DEAD_LETTER_NOT_FOUND = "DeadLetterNotFound";
    static final String TASK_EXPIRED = "TaskExpired";
    static final String UNAVAILABLE = "Unavailable";

    static final String LIST_QUEUES_EXAMPLE = """
            {"queues":[{"queue":"default","pending":1,"delayed":0,"active":1,"workers":1,"dead_letters":2}]}""";

    static final String GET_QUEUE_EXAMPLE = """
            {"queue":"default","pending":1,"delayed":0,"active":1,"workers":1,"dead_letters":2}""";

    static final String PURGE_QUEUE_EXAMPLE = """
            {"queue":"default","purged":1,"revoked":1}""";

    static final String LIST_WORKERS_EXAMPLE = """
            {"workers":[{"worker":"worker-7d9f-1a2b3c","alive":true,"lease_expires_at":"2026-12-03T17:01:36Z",\
            "queues":["default"],"tasks":[{"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"sleep",\
            "queue":"default","tenant":"acme","state":"STARTED","started_at":"2026-12-03T17:01:06.522Z",\
            "attempts":1}]}]}""";

    static final String LIST_RECENT_TASKS_EXAMPLE = """
            {"tasks":[{"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"heavy_compute","queue":"default",\
            "tenant":"acme","state":"SUCCESS","created_at":"2026-12-03T17:01:06.276Z",\
            "started_at":"2026-12-03T17:01:06.522Z","finished_at":"2026-12-03T17:01:06.528Z","attempts":1}]}""";

    static final String MISSING_TENANT_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:missing-tenant","title":"Bad request",\
            "status":400,"detail":"Send the X-Aurum-Tenant header naming your tenant.",\
            "instance":"/v1/jobs/heavy_compute"}""";

    static final String UNAUTHENTICATED_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:unauthenticated","title":"Unauthorized",\
            "status":401,"detail":"This endpoint is for operators: send the admin \
            user's credentials with HTTP basic auth.","instance":"/v1/admin/queues"}""";

    static final String TASK_NOT_FOUND_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:task-not-found","title":"Task not found",\
            "status":404,"detail":"No task with this id exists for your tenant.",\
            "instance":"/v1/tasks/mKrnBRhRlbTSt6s7NMWjwl2U"}""";

    static final String TASK_EXPIRED_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:task-expired","title":"Task expired",\
            "status":410,"detail":"This task finished and its result expired; results \
            are kept for PT24H.","instance":"/v1/tasks/mKrnBRhRlbTSt6s7NMWjwl2U"}""";

    static final String BACKEND_UNAVAILABLE_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:backend-unavailable","title":\
            "Service unavailable","status":503,"detail":"The task store is unreachable \
            right now. Retry after the given delay; send an Idempotency-Key so that a \
            retry cannot enqueue the same job twice.","instance":"/v1/jobs/heavy_compute"}""";

    static final String LIST_DEAD_LETTERS_EXAMPLE = """
            {"queue":"default","total":1,"dead_letters":[{"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U",\
            "job":"resize_image","queue":"default","tenant":"acme","attempts":3,\
            "failed_at":"2026-12-03T17:01:08.130Z","error":{"type":"IllegalStateException",\
            "message":"image too large"}}]}""";

    static final String ACCEPTED_EXAMPLE = """
            {"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","status_url":"/v1/tasks/mKrnBRhRlbTSt6s7NMWjwl2U"}""";

    static final String UNKNOWN_JOB_EXAMPLE = """
            {"type":"urn:aurum-offload:problem:unknown-job","title":"Unknown job","status":404,\
            "detail":"Unknown job 'resize'; POST to /v1/jobs/{job} with a registered job name",\
            "instance":"/v1/jobs/resize"}""";

    /** A task that a worker has not finished: 202 with Retry-After. */
    static final String UNFINISHED_EXAMPLE = """
            {"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"heavy_compute","queue":"default","state":"STARTED",\
            "created_at":"2026-12-03T17:01:06.276Z","started_at":"2026-12-03T17:01:06.522Z","attempts":1}""";

    /** A task that finished with a result. */
    static final String SUCCESS_EXAMPLE = """
            {"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"heavy_compute","queue":"default","state":"SUCCESS",\
            "result":{"ok":true,"input":{"n":42}},"created_at":"2026-12-03T17:01:06.276Z",\
            "started_at":"2026-12-03T17:01:06.522Z","finished_at":"2026-12-03T17:01:06.528Z","attempts":1}""";

    /** A task that failed for good. */
    static final String FAILURE_EXAMPLE = """
            {"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"resize_image","queue":"default","state":"FAILURE",\
            "error":{"type":"IllegalStateException","message":"image too large"},\
            "created_at":"2026-12-03T17:01:06.276Z","started_at":"2026-12-03T17:01:08.101Z",\
            "finished_at":"2026-12-03T17:01:08.130Z","attempts":3}""";

    /** A task cancelled before it started. */
    static final String REVOKED_EXAMPLE = """
            {"task_id":"mKrnBRhRlbTSt6s7NMWjwl2U","job":"heavy_compute","queue":"default","state":"REVOKED",\
            "created_at":"2026-12-03T17:01:06.276Z","finished_at":"2026-12-03T17:01:07.003Z","attempts":0}""";

}

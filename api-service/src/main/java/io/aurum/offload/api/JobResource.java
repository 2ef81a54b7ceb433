package io.aurum.offload.api;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Enqueue any registered job, read and cancel any of the tenant's tasks. All answer from the event loop: the Redis
 * calls behind them are non-blocking.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocs.TASKS)
public class JobResource {

    @Inject
    OffloadClient offload;
    @Inject
    JobRegistry registry;
    @Inject
    PayloadReader payloads;
    @Inject
    TaskAnswers answers;
    @Context
    UriInfo uri;
    @Context
    HttpHeaders headers;

    @POST
    @Path("/jobs/{job}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "enqueueJob", summary = "Enqueue a job",
            description = "Queues the registered job with the body as its input and answers at once with the new "
                    + "task's id. Delivery is at least once: a job may run more than once and should be safe to "
                    + "repeat.")
    @Parameter(name = IdempotencyKeys.HEADER, ref = ApiDocs.IDEMPOTENCY_KEY)
    @RequestBody(required = true, description = "The job's input: one JSON object, UTF-8, at most "
            + "api.max-payload-size (1 MiB by default), no duplicate keys.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class),
                    examples = @ExampleObject(name = "input", value = "{\"n\": 42}")))
    @APIResponse(responseCode = "202", description = "Accepted: the task is queued (or, with an Idempotency-Key seen "
            + "before, the first task's id).",
            headers = @Header(name = ApiDocs.LOCATION, ref = ApiDocs.LOCATION),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Accepted.class),
                    examples = @ExampleObject(name = "accepted", value = ApiDocs.ACCEPTED_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "No job of this name is registered.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown-job", value = ApiDocs.UNKNOWN_JOB_EXAMPLE)))
    @APIResponse(responseCode = "413", description = "The payload is larger than api.max-payload-size.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body was not sent as application/json.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used by the tenant for another job or "
            + "payload.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> enqueue(
            @Parameter(description = "The registered job to run.", example = "heavy_compute",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"))
            @PathParam("job") String job,
            @Parameter(ref = ApiDocs.TENANT) @HeaderParam(Tenants.HEADER) List<String> tenantHeaders,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "Start no earlier than this many whole seconds from now (0 to 31536000); not "
                    + "with not_before.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
                    maximum = "31536000"), example = "30")
            @QueryParam(EnqueueDelays.COUNTDOWN) String countdown,
            @Parameter(description = "Start no earlier than this instant, at most a year ahead; not with countdown.",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"),
                    example = "2030-01-31T12:00:00Z")
            @QueryParam(EnqueueDelays.NOT_BEFORE) String notBefore, byte[] body) {
        if (contentType == null) {
            // @Consumes lets a request without Content-Type through; a body of unknown type is not a JSON payload.
            throw new NotSupportedException();
        }
        String tenant = Tenants.require(tenantHeaders);
        EnqueueOptions options = IdempotencyKeys.apply(headers,
                EnqueueDelays.apply(countdown, notBefore, EnqueueOptions.forTenant(tenant)));
        if (!registry.contains(job)) {
            throw new UnknownJobException(job);
        }

        return offload.runJobAsync(job, payloads.read(body), options).map(taskId -> answers.accepted(taskId, uri));
    }

    /** The task's status; with {@code ?wait=S} the answer waits up to S seconds for the task to finish. */
    @GET
    @Path("/tasks/{task_id}")
    @Operation(operationId = "getTask", summary = "Read a task's status",
            description = "200 once the task is SUCCESS, FAILURE or REVOKED; 202 with Retry-After while it is "
                    + "PENDING, STARTED or RETRY. With wait, answers as soon as the task finishes, else when the "
                    + "wait runs out.")
    @APIResponse(responseCode = "200", ref = ApiDocs.TASK_FINISHED,
            description = "Finished: SUCCESS, FAILURE or REVOKED.")
    @APIResponse(responseCode = "202", ref = ApiDocs.TASK_UNFINISHED)
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDocs.TASK_NOT_FOUND)
    @APIResponse(responseCode = "410", ref = ApiDocs.TASK_EXPIRED)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> status(@Parameter(ref = ApiDocs.TASK_ID) @PathParam("task_id") String taskId,
            @Parameter(ref = ApiDocs.TENANT) @HeaderParam(Tenants.HEADER) List<String> tenantHeaders,
            @Parameter(ref = ApiDocs.WAIT) @QueryParam(TaskWaits.WAIT) String wait) {
        String tenant = Tenants.require(tenantHeaders);
        TaskAnswers.requireWellFormed(taskId);
        Duration longest = TaskWaits.parse(wait);

        return offload.fetchJobResult(taskId, tenant, longest).map(lookup -> answers.status(lookup, uri.getPath()));
    }

    /**
     * Cancels the tenant's task. A task the cancel cannot see is looked up once more, so that the owner of an
     * expired task gets the same 410 as a status read, and everyone else the same 404.
     */
    @DELETE
    @Path("/tasks/{task_id}")
    @Operation(operationId = "cancelTask", summary = "Cancel a task",
            description = "A task that has not started becomes REVOKED at once and never runs (200). A running "
                    + "task's worker is asked to stop it (202); it ends REVOKED if its job stops, and its result "
                    + "stands if the job completes anyway.")
    @APIResponse(responseCode = "200", description = "Revoked before it started.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaskStatus.class),
                    examples = @ExampleObject(name = "revoked", value = ApiDocs.REVOKED_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "Running: its worker was asked to stop it; read its status "
            + "for the end.",
            headers = @Header(name = ApiDocs.RETRY_AFTER, ref = ApiDocs.RETRY_AFTER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaskStatus.class),
                    examples = @ExampleObject(name = "stopping", value = ApiDocs.UNFINISHED_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDocs.TASK_NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The task already finished; nothing changed.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", ref = ApiDocs.TASK_EXPIRED)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> cancel(@Parameter(ref = ApiDocs.TASK_ID) @PathParam("task_id") String taskId,
            @Parameter(ref = ApiDocs.TENANT) @HeaderParam(Tenants.HEADER) List<String> tenantHeaders) {
        String tenant = Tenants.require(tenantHeaders);
        TaskAnswers.requireWellFormed(taskId);

        return offload.cancel(taskId, tenant).chain(outcome -> outcome instanceof CancelOutcome.Unknown
                ? offload.fetchJobResult(taskId, tenant).map(lookup -> lookup instanceof TaskLookup.Expired
                        ? answers.status(lookup, uri.getPath()) : answers.cancelled(outcome, uri.getPath()))
                : Uni.createFrom().item(answers.cancelled(outcome, uri.getPath())));
    }
}

package io.aurum.offload.api;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.jobs.HeavyComputeJob;
import io.aurum.offload.task.EnqueueOptions;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The runbook's example: {@code POST /v1/heavy} enqueues {@code heavy_compute} with {@code {"tenant": <tenant>}}
 * and answers 202 {@code {"task_id": ...}}; {@code GET /v1/heavy/{task_id}} shows its status. Any request body is
 * ignored; an {@code Idempotency-Key} header is honoured as on {@code POST /v1/jobs/{job}}.
 */
@Path("/v1/heavy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocs.RUNBOOK)
public class HeavyResource {

    @Inject
    OffloadClient offload;
    @Inject
    TaskAnswers answers;
    @Context
    UriInfo uri;
    @Context
    HttpHeaders headers;

    @POST
    @Operation(operationId = "enqueueHeavy", summary = "Enqueue heavy_compute for the tenant",
            description = "Queues heavy_compute with {\"tenant\": <tenant>} as its input; any body is ignored.")
    @Parameter(name = IdempotencyKeys.HEADER, ref = ApiDocs.IDEMPOTENCY_KEY)
    @APIResponse(responseCode = "202", description = "Accepted: the task is queued.",
            headers = @Header(name = ApiDocs.LOCATION, ref = ApiDocs.LOCATION),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Accepted.class),
                    examples = @ExampleObject(name = "accepted", value = "{\"task_id\":\"mKrnBRhRlbTSt6s7NMWjwl2U\"}")))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used by the tenant for another job or "
            + "payload.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> enqueue(
            @Parameter(ref = ApiDocs.TENANT) @HeaderParam(Tenants.HEADER) List<String> tenantHeaders) {
        String tenant = Tenants.require(tenantHeaders);
        EnqueueOptions options = IdempotencyKeys.apply(headers, EnqueueOptions.forTenant(tenant));
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("tenant", tenant);

        return offload.runJobAsync(HeavyComputeJob.NAME, payload, options)
                .map(taskId -> Response.fromResponse(answers.accepted(taskId, uri))
                        .entity(new Accepted(taskId, null)).build());
    }

    /** The task's status; with {@code ?wait=S} the answer waits up to S seconds for the task to finish. */
    @GET
    @Path("/{task_id}")
    @Operation(operationId = "getHeavyTask", summary = "Read a task's status (as GET /v1/tasks/{task_id})")
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
}

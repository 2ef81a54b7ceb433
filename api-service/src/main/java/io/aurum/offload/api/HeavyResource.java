package io.aurum.offload.api;

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
    public Uni<Response> enqueue(@HeaderParam(Tenants.HEADER) List<String> tenantHeaders) {
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
    public Uni<Response> status(@PathParam("task_id") String taskId,
            @HeaderParam(Tenants.HEADER) List<String> tenantHeaders, @QueryParam(TaskWaits.WAIT) String wait) {
        String tenant = Tenants.require(tenantHeaders);
        TaskAnswers.requireWellFormed(taskId);
        Duration longest = TaskWaits.parse(wait);

        return offload.fetchJobResult(taskId, tenant, longest).map(lookup -> answers.status(lookup, uri.getPath()));
    }
}

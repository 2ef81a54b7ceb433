package io.aurum.offload.api;

import java.util.List;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.EnqueueOptions;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Enqueue any registered job and read any of the tenant's tasks. Both answer from the event loop: the Redis calls
 * behind them are non-blocking.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
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

    @POST
    @Path("/jobs/{job}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> enqueue(@PathParam("job") String job, @HeaderParam(Tenants.HEADER) List<String> tenantHeaders,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        if (contentType == null) {
            // @Consumes lets a request without Content-Type through; a body of unknown type is not a JSON payload.
            throw new NotSupportedException();
        }
        String tenant = Tenants.require(tenantHeaders);
        if (!registry.contains(job)) {
            throw new UnknownJobException(job);
        }

        return offload.runJobAsync(job, payloads.read(body), EnqueueOptions.forTenant(tenant))
                .map(taskId -> answers.accepted(taskId, uri));
    }

    @GET
    @Path("/tasks/{task_id}")
    public Uni<Response> status(@PathParam("task_id") String taskId,
            @HeaderParam(Tenants.HEADER) List<String> tenantHeaders) {
        String tenant = Tenants.require(tenantHeaders);
        TaskAnswers.requireWellFormed(taskId);

        return offload.fetchJobResult(taskId, tenant).map(lookup -> answers.status(lookup, uri.getPath()));
    }
}

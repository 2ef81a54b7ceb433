package io.aurum.offload.api;

import java.time.Duration;
import java.util.List;

import io.aurum.offload.client.OffloadClient;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.job.JobRegistry;
import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskLookup;
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
    public Uni<Response> enqueue(@PathParam("job") String job, @HeaderParam(Tenants.HEADER) List<String> tenantHeaders,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam(EnqueueDelays.COUNTDOWN) String countdown,
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
    public Uni<Response> status(@PathParam("task_id") String taskId,
            @HeaderParam(Tenants.HEADER) List<String> tenantHeaders, @QueryParam(TaskWaits.WAIT) String wait) {
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
    public Uni<Response> cancel(@PathParam("task_id") String taskId,
            @HeaderParam(Tenants.HEADER) List<String> tenantHeaders) {
        String tenant = Tenants.require(tenantHeaders);
        TaskAnswers.requireWellFormed(taskId);

        return offload.cancel(taskId, tenant).chain(outcome -> outcome instanceof CancelOutcome.Unknown
                ? offload.fetchJobResult(taskId, tenant).map(lookup -> lookup instanceof TaskLookup.Expired
                        ? answers.status(lookup, uri.getPath()) : answers.cancelled(outcome, uri.getPath()))
                : Uni.createFrom().item(answers.cancelled(outcome, uri.getPath())));
    }
}

package io.aurum.offload.api;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.aurum.offload.client.BackendUnavailableException;
import io.aurum.offload.client.IdempotencyConflictException;
import io.aurum.offload.client.UnknownJobException;
import io.aurum.offload.config.OffloadSettings;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Turns every failure into a problem answer. Client errors are the caller's to fix and are logged at DEBUG;
 * server errors are ours and are logged, without ever showing a class name or stack trace to the client.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    OffloadSettings settings;

    @ServerExceptionMapper
    public Response refused(ProblemException e, HttpServerRequest request) {
        LOG.debugf("%d %s: %s", e.status(), request.path(), e.getMessage());
        return answer(Problem.of(e.status(), e.kind(), e.title(), e.getMessage(), request.path()));
    }

    @ServerExceptionMapper
    public Response unknownJob(UnknownJobException e, HttpServerRequest request) {
        return answer(Problem.of(404, "unknown-job", "Unknown job",
                e.getMessage() + "; POST to /v1/jobs/{job} with a registered job name", request.path()));
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e, HttpServerRequest request) {
        // The other task's id is left out: it is the same tenant's, but the answer needs nothing more.
        return answer(Problem.of(422, "idempotency-conflict", "Idempotency key reused",
                "This Idempotency-Key was already used by your tenant for a different job or payload; send a new key "
                        + "for a new request.", request.path()));
    }

    /**
     * No credentials, or wrong ones, on an endpoint for operators. Replaces the security extension's own mappers so
     * that the answer is a problem too, and keeps the challenge ({@code WWW-Authenticate}) the authentication
     * mechanism asks for, as those mappers do.
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Uni<Response> unauthenticated(RoutingContext context) {
        LOG.debugf("401 %s", context.request().path());
        Response plain = answer(Problem.of(401, "unauthenticated", "Unauthorized",
                "This endpoint is for operators: send the admin user's credentials with HTTP basic auth.",
                context.request().path()));
        HttpAuthenticator authenticator = context.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(plain);
        }
        return authenticator.getChallenge(context).map(challenge -> withChallenge(plain, challenge))
                .onFailure().recoverWithItem(plain);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        LOG.debugf("403 %s", request.path());
        return answer(Problem.of(403, "forbidden", "Forbidden",
                "These credentials do not allow this: the endpoint needs the admin role.", request.path()));
    }

    @ServerExceptionMapper
    public Response unavailable(BackendUnavailableException e, HttpServerRequest request) {
        LOG.debugf("503 %s: %s", request.path(), e.getMessage());
        Problem problem = Problem.of(503, "backend-unavailable", "Service unavailable",
                "The task store is unreachable right now. Retry after the given delay; send an "
                        + "Idempotency-Key so that a retry cannot enqueue the same job twice.",
                request.path());
        return Response.fromResponse(answer(problem)).header("Retry-After", retryAfterSeconds(settings)).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "%d %s", status, request.path());
        }
        return answer(Problem.of(status, "http-" + status, reason(status), detailFor(status), request.path()));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "500 %s %s", request.method(), request.path());
        return answer(Problem.of(500, "internal", "Internal server error",
                "The request failed on our side and was logged; it is safe to retry.", request.path()));
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Response withChallenge(Response plain, ChallengeData challenge) {
        Response.ResponseBuilder answer = Response.fromResponse(plain);
        if (challenge != null && challenge.getHeaders() != null) {
            challenge.getHeaders().forEach((name, value) -> answer.header(name.toString(), value));
        }
        return answer.build();
    }

    static String retryAfterSeconds(OffloadSettings settings) {
        return Long.toString(Math.max(1, (settings.api().retryAfter().toMillis() + 999) / 1000));
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }

    private static String detailFor(int status) {
        return switch (status) {
            case 404 -> "Nothing here: the api serves POST /v1/jobs/{job} and GET or DELETE /v1/tasks/{task_id}.";
            case 405 -> "This path does not take that method.";
            case 406 -> "This api answers in JSON: accept application/json.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the payload as a JSON object with Content-Type: application/json.";
            default -> "The request could not be served as sent.";
        };
    }
}

package io.aurum.offload.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a query parameter of the api given without a value ({@code ?limit=}, {@code ?countdown=}). Quarkus REST
 * hands such a parameter to the endpoint as if it were absent, so {@code ?queue=} would list every queue's tasks and
 * {@code ?countdown=} would run a task at once, when the caller plainly meant something else. Only requests with a
 * query string are looked at; the problem's kind is the one the endpoint gives for a bad value of that parameter.
 */
public class EmptyQueryParameters {

    /** Every query parameter the api reads, with the kind of problem a bad value of it gets. */
    private static final Map<String, String> KINDS = Map.of(
            "limit", "invalid-limit",
            "queue", "invalid-queue",
            TaskWaits.WAIT, "invalid-wait",
            EnqueueDelays.COUNTDOWN, "invalid-delay",
            EnqueueDelays.NOT_BEFORE, "invalid-delay");

    @ServerRequestFilter
    public Optional<Response> refuseEmptyValues(HttpServerRequest request) {
        String query = request.query();
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> parameter : KINDS.entrySet()) {
            List<String> values = request.params().getAll(parameter.getKey());
            if (!values.isEmpty() && values.getFirst().isEmpty()) {
                return Optional.of(ProblemMappers.answer(Problem.of(400, parameter.getValue(), "Bad request",
                        "The " + parameter.getKey() + " parameter is given without a value: give one, or leave the "
                                + "parameter out.",
                        request.path())));
            }
        }
        return Optional.empty();
    }
}

package io.aurum.offload.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisConnections;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Readiness of either service: Redis answers a {@code PING} on the broker and, when it is another database, on the
 * result backend, each within {@code health.redis-timeout}. Non-blocking: the pings run on the Redis client's event
 * loop. A service on the stub backend has no Redis to wait for and is ready.
 *
 * <p>Readiness only: Kubernetes takes a pod whose Redis is away out of its Service, but does not restart it; the
 * service recovers by itself when Redis comes back.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    static final String NAME = "redis";
    /** The user and password part of a URL a client error might quote. */
    private static final Pattern CREDENTIALS = Pattern.compile("//[^@/\\s]*@");

    private final OffloadSettings settings;
    private final Instance<RedisConnections> redis;
    private final Duration timeout;

    @Inject
    public RedisReadiness(OffloadSettings settings, Instance<RedisConnections> redis) {
        this.settings = settings;
        this.redis = redis;
        this.timeout = settings.health().redisTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!OffloadClientProducer.usesRedis(settings)) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("backend", "stub").build());
        }
        RedisConnections connections = redis.get();
        List<Uni<Ping>> pings = new ArrayList<>(List.of(ping("broker", connections.broker())));
        if (!connections.sameDatabase()) {
            pings.add(ping("results", connections.results()));
        }
        return Uni.join().all(pings).andCollectFailures().map(answers -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
            for (Ping answer : answers) {
                response.withData(answer.connection(), answer.problem() == null ? "UP" : "DOWN: " + answer.problem());
                if (answer.problem() != null) {
                    response.down();
                }
            }
            return response.build();
        });
    }

    /** One connection's answer: null problem when it said PONG in time. */
    private record Ping(String connection, String problem) {
    }

    private Uni<Ping> ping(String connection, Redis client) {
        return client.send(Request.cmd(Command.PING))
                .ifNoItem().after(timeout).fail()
                .map(reply -> new Ping(connection, null))
                .onFailure().recoverWithItem(failure -> new Ping(connection, describe(failure)));
    }

    /** What went wrong, in a few words, for the health answer; no stack trace, no password. */
    private String describe(Throwable failure) {
        if (failure instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within " + timeout;
        }
        String type = failure.getClass().getSimpleName();
        return failure.getMessage() == null ? type
                : type + " " + CREDENTIALS.matcher(failure.getMessage()).replaceAll("//");
    }
}

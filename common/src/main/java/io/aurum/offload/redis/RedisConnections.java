package io.aurum.offload.redis;

import io.aurum.offload.config.OffloadSettings;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The Redis clients of the broker and of the result backend, built from the offload settings. When both settings
 * name the same database, one client serves both, and callers may combine broker and result steps in one script.
 *
 * <p>Application scoped, hence created on first use: a service running on the stub never opens a connection.
 */
@ApplicationScoped
public class RedisConnections {

    /** Connections beyond the worker's concurrency: heartbeats, sweeps and the api's concurrent requests. */
    private static final int SPARE_CONNECTIONS = 24;

    private final Redis broker;
    private final Redis results;
    private final Redis subscriber;
    private final boolean sameDatabase;

    @Inject
    public RedisConnections(Vertx vertx, OffloadSettings settings) {
        int poolSize = settings.worker().concurrency() + SPARE_CONNECTIONS;
        this.sameDatabase = settings.celeryBrokerUrl().equals(settings.celeryResultBackend());
        // Known limitation: one password setting for both. A broker and a result backend on two servers with two
        // passwords need one of them written in its URL, which keeps it out of a Secret (and the chart refuses it).
        String password = settings.redisPassword().orElse(null);
        this.broker = Redis.createClient(vertx, options(settings.celeryBrokerUrl(), password, poolSize));
        this.results = sameDatabase
                ? broker
                : Redis.createClient(vertx, options(settings.celeryResultBackend(), password, poolSize));
        this.subscriber = Redis.createClient(vertx, options(settings.celeryResultBackend(), password, 1));
    }

    public Redis broker() {
        return broker;
    }

    public Redis results() {
        return results;
    }

    /**
     * A client of one connection to the result backend, kept apart for {@code SUBSCRIBE} (a subscribed connection
     * serves nothing else); it connects only when {@link TaskDoneSubscriber} starts.
     */
    public Redis subscriber() {
        return subscriber;
    }

    /** True when broker and result backend are one database, so one script may touch both. */
    public boolean sameDatabase() {
        return sameDatabase;
    }

    /** Closes every client; for tests that build connections by hand. */
    @PreDestroy
    public void close() {
        broker.close();
        if (!sameDatabase) {
            results.close();
        }
        subscriber.close();
    }

    /** A password in {@code url} wins: the Vert.x client sends the options' password only when the URL has none. */
    private static RedisOptions options(String url, String password, int poolSize) {
        return new RedisOptions()
                .setConnectionString(url)
                .setPassword(password)
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(4096);
    }
}

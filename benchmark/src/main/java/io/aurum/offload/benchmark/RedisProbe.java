package io.aurum.offload.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The benchmark's own Redis connections: one to the broker database and, when results are kept apart, one to the
 * results database. Single connections, not pools, so the benchmark's commands come from known addresses that the
 * round-trip count can leave out; every command sent is counted for the same reason.
 */
final class RedisProbe implements AutoCloseable {

    private static final long TIMEOUT_S = 30;

    private final Vertx vertx = Vertx.vertx();
    private final RedisConnection broker;
    private final RedisConnection results;
    private final AtomicLong sent = new AtomicLong();

    RedisProbe(BenchSettings settings) {
        this.broker = connect(settings.redisUrl(0));
        this.results = settings.separateDatabases() ? connect(settings.redisUrl(1)) : broker;
    }

    Response broker(Request request) {
        sent.incrementAndGet();
        return await(broker.send(request));
    }

    /** Sends the requests in one write (a pipeline) and returns the answers in order. */
    List<Response> brokerBatch(List<Request> requests) {
        sent.addAndGet(requests.size());
        return await(broker.batch(requests));
    }

    List<Response> resultsBatch(List<Request> requests) {
        sent.addAndGet(requests.size());
        return await(results.batch(requests));
    }

    long length(String list) {
        return broker(Request.cmd(Command.LLEN).arg(list)).toLong();
    }

    void flushAll() {
        broker(Request.cmd(Command.FLUSHALL));
    }

    /** Commands this probe sent so far, on both connections. */
    long sent() {
        return sent.get();
    }

    /** Sum of {@code calls} over every command in {@code INFO commandstats}: all commands, those in scripts too. */
    long commandsExecuted() {
        String info = broker(Request.cmd(Command.INFO).arg("commandstats")).toString();
        return CommandStats.totalCalls(info);
    }

    /** The {@code host:port} Redis sees for each of this probe's connections, as MONITOR prints it. */
    List<String> addresses() {
        List<String> addresses = new ArrayList<>();
        addresses.add(address(broker));
        if (results != broker) {
            addresses.add(address(results));
        }
        return addresses;
    }

    private String address(RedisConnection connection) {
        sent.incrementAndGet();
        String info = await(connection.send(Request.cmd(Command.CLIENT).arg("INFO"))).toString();
        for (String field : info.trim().split(" ")) {
            if (field.startsWith("addr=")) {
                return field.substring("addr=".length());
            }
        }
        throw new IllegalStateException("CLIENT INFO without addr: " + info);
    }

    private RedisConnection connect(String url) {
        return await(Redis.createClient(vertx, new RedisOptions().setConnectionString(url)).connect());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Redis", e);
        }
    }

    @Override
    public void close() {
        broker.close();
        if (results != broker) {
            results.close();
        }
        vertx.close();
    }
}

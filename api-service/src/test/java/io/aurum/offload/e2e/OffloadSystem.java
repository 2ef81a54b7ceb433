package io.aurum.offload.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.aurum.offload.e2e.ServiceProcess.Service;
import io.aurum.offload.testing.RedisServer;

/**
 * What an end-to-end test of the Quarkus-launched api controls itself: the private {@code redis-server} the api
 * runs on, and the worker processes it starts on the same Redis, which it may kill, stop and replace at will.
 * {@link OffloadSystemResource} starts it before Quarkus launches the api and gives it to the test.
 */
public final class OffloadSystem implements AutoCloseable {

    private final RedisServer redis;
    private final boolean sameDatabase;
    private final List<ServiceProcess> workers = new ArrayList<>();

    private OffloadSystem(RedisServer redis, boolean sameDatabase) {
        this.redis = redis;
        this.sameDatabase = sameDatabase;
    }

    /** Starts Redis; with {@code appendOnly} every write is in its AOF before the reply. */
    static OffloadSystem start(boolean appendOnly, boolean sameDatabase) {
        return new OffloadSystem(RedisServer.start(appendOnly), sameDatabase);
    }

    public RedisServer redis() {
        return redis;
    }

    /** Whether broker and results share database 0 (else results are in database 1). */
    public boolean sameDatabase() {
        return sameDatabase;
    }

    /**
     * The settings the api is launched with, as system properties: those of {@link #workerEnv()} by their property
     * names, and the loopback interface to listen on.
     */
    Map<String, String> apiSettings() {
        return Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", redis.url(0),
                "aurum.api.offload.celery-result-backend", redis.url(sameDatabase ? 0 : 1),
                "aurum.api.offload.demo-jobs", "true",
                "quarkus.http.host", "127.0.0.1");
    }

    /** A new environment for workers on the api's pipeline: the same broker and result databases, the demo jobs. */
    public OffloadEnv workerEnv() {
        return OffloadEnv.on(redis, sameDatabase);
    }

    /** Starts a worker and waits until it is up; {@link #reset()} stops it. */
    public ServiceProcess startWorker(String label, OffloadEnv env) {
        return launchWorker(label, env).awaitUp();
    }

    /** Starts a worker without waiting for it. */
    public ServiceProcess launchWorker(String label, OffloadEnv env) {
        ServiceProcess worker = ServiceProcess.launch(Service.WORKER, env.toMap(), label);
        workers.add(worker);
        return worker;
    }

    /**
     * Ends a test: stops its workers (SIGTERM, then SIGKILL) and empties Redis, so that the next test of the class
     * starts with no tasks, on the same api. Every worker is stopped even if one fails to.
     */
    public void reset() {
        RuntimeException failure = null;
        for (ServiceProcess worker : workers.reversed()) {
            try {
                worker.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        workers.clear();
        redis.command("FLUSHALL");
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        try {
            reset();
        } finally {
            redis.close();
        }
    }
}

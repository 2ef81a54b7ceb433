package io.aurum.offload.e2e;

import java.util.ArrayList;
import java.util.List;

import io.aurum.offload.e2e.ServiceProcess.Service;
import io.aurum.offload.testing.RedisServer;

/**
 * What one test runs: a private {@code redis-server} and the service processes started on it. {@link #close()}
 * stops every process (SIGTERM, then SIGKILL), then Redis, each despite failures of the others.
 */
final class E2eSystem implements AutoCloseable {

    private final String label;
    private final List<ServiceProcess> services = new ArrayList<>();
    private RedisServer redis;

    E2eSystem(String label) {
        this.label = label;
    }

    /** The test's Redis, started on first use. */
    RedisServer redis() {
        return redis(false);
    }

    /** The test's Redis, started on first use; with {@code appendOnly}, every write is in its AOF before the reply. */
    RedisServer redis(boolean appendOnly) {
        if (redis == null) {
            redis = RedisServer.start(appendOnly);
        }
        return redis;
    }

    /** The test's Redis, started on first use with {@code --requirepass password}. */
    RedisServer redisWithPassword(String password) {
        if (redis == null) {
            redis = RedisServer.startWithPassword(password);
        }
        return redis;
    }

    /** Starts a service and waits until it is up. */
    ServiceProcess start(Service service, OffloadEnv env) {
        ServiceProcess process = ServiceProcess.launch(service, env.toMap(), label);
        services.add(process);
        return process.awaitUp();
    }

    /** Starts a service without waiting, for a start that should fail. */
    ServiceProcess launch(Service service, OffloadEnv env) {
        ServiceProcess process = ServiceProcess.launch(service, env.toMap(), label);
        services.add(process);
        return process;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ServiceProcess service : services.reversed()) {
            try {
                service.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}

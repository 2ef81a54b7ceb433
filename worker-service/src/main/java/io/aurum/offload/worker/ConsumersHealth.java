package io.aurum.offload.worker;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The worker's own health checks, beside the shared Redis readiness: whether its processors (the consumers of its
 * queues) run. Neither calls Redis; each reads a few fields.
 */
@ApplicationScoped
class ConsumersHealth {

    @Inject
    WorkerLifecycle lifecycle;

    /**
     * Ready while every processor runs and takes tasks: not before the worker registered on Redis (a start waits
     * for it), not once shutdown began.
     */
    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck consumersReady() {
        return () -> {
            WorkerLifecycle.Consumers consumers = lifecycle.consumers();
            return describe("consumers", consumers, consumers.consuming());
        };
    }

    /**
     * Live unless a processor ended while the worker was not stopping, which only a restart mends. Waiting for Redis
     * at start and draining at shutdown are alive: a Redis outage must never get a worker restarted.
     */
    @Produces
    @Liveness
    @ApplicationScoped
    HealthCheck processorsLive() {
        return () -> {
            WorkerLifecycle.Consumers consumers = lifecycle.consumers();
            return describe("processors", consumers, !consumers.broken());
        };
    }

    private static HealthCheckResponse describe(String name, WorkerLifecycle.Consumers consumers, boolean up) {
        String phase = consumers.stopping() ? "stopping" : consumers.started() ? "consuming" : "starting";
        return HealthCheckResponse.named(name).status(up)
                .withData("phase", phase)
                .withData("processors_alive", consumers.alive())
                .withData("concurrency", consumers.wanted())
                .withData("queues", String.join(",", consumers.queues()))
                .build();
    }
}

package io.aurum.offload.api;

import org.jboss.logging.Logger;

import io.aurum.offload.client.OffloadClient;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On SIGTERM, status reads waiting for their task ({@code ?wait=}) answer at once with the task's state, rather than
 * being cut off when the HTTP server closes. Quarkus announces the stop first ({@code quarkus.shutdown.delay-enabled})
 * and then lets requests in flight finish ({@code quarkus.shutdown.timeout}) while refusing new ones with 503.
 */
@ApplicationScoped
class WaitsAtShutdown {

    private static final Logger LOG = Logger.getLogger(WaitsAtShutdown.class);

    void answerWaitingReads(@Observes ShutdownDelayInitiatedEvent stopping, OffloadClient client) {
        LOG.info("Stopping: status reads that wait for their task answer now");
        client.endWaits();
    }
}

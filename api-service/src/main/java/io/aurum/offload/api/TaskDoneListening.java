package io.aurum.offload.api;

import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.TaskDoneSubscriber;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Subscribes to finished tasks when the api starts on the Redis backend, so that the first waiting status reads are
 * woken too. Never delays startup: the subscription is made, and retried, in the background.
 */
@ApplicationScoped
class TaskDoneListening {

    void subscribe(@Observes StartupEvent started, OffloadSettings settings, Instance<TaskDoneSubscriber> subscriber) {
        if (OffloadClientProducer.usesRedis(settings) && settings.api().maxWaiting() > 0) {
            subscriber.get().start();
        }
    }
}

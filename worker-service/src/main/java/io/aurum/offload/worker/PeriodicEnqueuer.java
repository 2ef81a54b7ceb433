package io.aurum.offload.worker;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.redis.RedisKeys;
import io.aurum.offload.redis.RedisOffloadClient;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLog;
import io.aurum.offload.task.TaskMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Enqueues one task per slot of a periodic job, however many replicas fire it and however often they restart. The
 * guarantee rests on a claim held in Redis, not in memory: the first replica to fire a slot sets the slot's key
 * ({@link RedisKeys#beatSlot}) and pushes the task in the same script; every later firing of that slot finds the
 * key and does nothing. The key outlives the slot by {@link PeriodicSchedule#claimTtl}, so a replica restarted
 * within the slot, or one whose clock lags by less than that, cannot enqueue it again.
 */
@ApplicationScoped
class PeriodicEnqueuer {

    private static final Logger LOG = Logger.getLogger(PeriodicEnqueuer.class);

    private final RedisOffloadClient client;
    private final TaskIds ids;
    private final String defaultQueue;

    @Inject
    PeriodicEnqueuer(RedisOffloadClient client, TaskIds ids, OffloadSettings settings) {
        this.client = client;
        this.ids = ids;
        this.defaultQueue = settings.defaultQueue();
    }

    /** Enqueues the task of the slot that a firing scheduled for {@code scheduledFireTime} belongs to. */
    Uni<String> fire(PeriodicSchedule schedule, Instant scheduledFireTime) {
        return fire(schedule, schedule.slotMs(scheduledFireTime, System.currentTimeMillis()));
    }

    /**
     * Enqueues the schedule's task for {@code slotMs} unless the slot was claimed before.
     *
     * @return the new task's id, or null when another firing (of any replica) had the slot already
     */
    Uni<String> fire(PeriodicSchedule schedule, long slotMs) {
        String queue = schedule.queue() == null ? defaultQueue : schedule.queue();
        TaskMessage message = new TaskMessage(ids.next(), schedule.job(), queue, schedule.tenant(),
                System.currentTimeMillis(), schedule.payload().deepCopy());
        String claim = RedisKeys.beatSlot(queue, schedule.name(), slotMs);
        return client.enqueueOnce(message, claim, schedule.claimTtl(slotMs)).map(enqueued -> {
            if (!enqueued) {
                // Another replica, or this one before a restart, enqueued this slot: nothing to do.
                LOG.debugf("periodic slot taken already schedule=%s slot=%s", schedule.name(),
                        Instant.ofEpochMilli(slotMs));
                return null;
            }
            TaskLog.of("PENDING", message).field("schedule", schedule.name())
                    .field("slot", Instant.ofEpochMilli(slotMs)).info(LOG);
            return message.id();
        });
    }
}

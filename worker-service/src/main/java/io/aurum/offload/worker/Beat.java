package io.aurum.offload.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aurum.offload.client.BackendUnavailableException;
import io.aurum.offload.client.OffloadClientProducer;
import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.job.JobRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * The runbook's beat: fires the periodic jobs through quarkus-scheduler. Every replica fires every schedule, with no
 * leader; {@link PeriodicEnqueuer} makes sure each slot is enqueued once across all of them.
 *
 * <p>Schedules are checked at startup (settings, and that this worker knows each job) and a bad one stops the
 * worker. A slot whose firing cannot reach Redis is skipped by this replica, not caught up later; another replica
 * that can reach Redis still enqueues it.
 */
@ApplicationScoped
class Beat {

    private static final Logger LOG = Logger.getLogger(Beat.class);
    private static final String JOB_ID_PREFIX = "aurum-beat-";

    @Inject
    OffloadSettings settings;
    @Inject
    ObjectMapper mapper;
    @Inject
    JobRegistry registry;
    @Inject
    Scheduler scheduler;
    @Inject
    PeriodicEnqueuer enqueuer;
    @Inject
    Instance<PeriodicSchedule> declaredInCode;

    private final List<String> scheduledIds = new ArrayList<>();

    /** Runs after the default-priority startup observers, which may still register jobs. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent startup) {
        if (!OffloadClientProducer.usesRedis(settings)) {
            // WorkerLifecycle refuses to start without Redis, and says why.
            return;
        }
        List<PeriodicSchedule> schedules = schedules();
        PeriodicSchedules.requireKnownJobs(schedules, registry);
        schedules.forEach(this::schedule);
        if (!schedules.isEmpty()) {
            LOG.infof("Beat fires %d periodic jobs: %s", schedules.size(), schedules.stream()
                    .map(s -> s.name() + " (" + s.job() + ", " + s.when() + ")").toList());
        }
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        synchronized (scheduledIds) {
            scheduledIds.forEach(scheduler::unscheduleJob);
            scheduledIds.clear();
        }
    }

    /** The schedules of the settings, then those produced by code; a name may be used once. */
    private List<PeriodicSchedule> schedules() {
        List<PeriodicSchedule> schedules = new ArrayList<>(PeriodicSchedules.fromSettings(settings, mapper));
        declaredInCode.forEach(schedules::add);
        Set<String> names = new HashSet<>();
        for (PeriodicSchedule schedule : schedules) {
            if (!names.add(schedule.name())) {
                throw new ConfigurationException("Periodic job schedule '" + schedule.name()
                        + "' is declared twice (in the settings and in code, or twice in code); rename one");
            }
        }
        return schedules;
    }

    private void schedule(PeriodicSchedule schedule) {
        String id = JOB_ID_PREFIX + schedule.name();
        Scheduler.JobDefinition<?> job = scheduler.newJob(id)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> fire(schedule, execution));
        if (schedule.cron() != null) {
            job.setCron(schedule.cron());
        } else {
            job.setInterval(schedule.every().toString());
        }
        job.schedule();
        synchronized (scheduledIds) {
            scheduledIds.add(id);
        }
    }

    private Uni<Void> fire(PeriodicSchedule schedule, ScheduledExecution execution) {
        return enqueuer.fire(schedule, execution.getScheduledFireTime())
                .onFailure(failure -> !(failure instanceof BackendUnavailableException))
                .invoke(failure -> LOG.errorf(failure, "Could not enqueue periodic job %s of schedule %s",
                        schedule.job(), schedule.name()))
                // An outage is logged where it is detected, once; this replica skips the slot.
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}

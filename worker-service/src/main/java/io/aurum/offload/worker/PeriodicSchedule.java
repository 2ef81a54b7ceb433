package io.aurum.offload.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A periodic job: which job to enqueue with which payload, on a cron or a fixed interval. Schedules come from the
 * settings ({@code aurum.api.offload.schedules.NAME.*}); code may add one by producing a bean of this type, such as
 * {@code @Produces @Singleton PeriodicSchedule nightly() { return PeriodicSchedule.cron("nightly", "report",
 * "0 0 2 * * ?"); }}.
 *
 * <p>Every firing belongs to a slot that all replicas compute alike without talking to each other: a cron firing's
 * slot is its scheduled time, to the second; an interval firing's slot is the current time rounded down to a
 * multiple of the interval since the epoch. One task is enqueued per slot (see {@link PeriodicEnqueuer}).
 *
 * @param name    the schedule's name, part of Redis keys and log lines
 * @param job     the job enqueued at each slot
 * @param cron    a Quartz-style cron with seconds, or null when {@code every} is set
 * @param every   the interval, or null when {@code cron} is set
 * @param payload the job's input (copied for each task)
 * @param queue   the queue, or null for the default queue
 * @param tenant  the owner of the tasks; empty for none
 */
public record PeriodicSchedule(String name, String job, String cron, Duration every, ObjectNode payload, String queue,
        String tenant) {

    /** Slot claims are kept at least this long, so a replica whose clock lags by less never fires a slot twice. */
    static final Duration MIN_CLAIM_TTL = Duration.ofHours(1);

    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * @throws IllegalArgumentException when not exactly one of {@code cron} and {@code every} is given, the interval
     *                                  is under a second, or the cron cannot be read
     */
    public PeriodicSchedule {
        if ((cron == null) == (every == null)) {
            throw new IllegalArgumentException("give exactly one of cron and every");
        }
        if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("every must be at least 1s, was " + every);
        }
        if (cron != null) {
            parseCron(cron);
        }
        payload = payload == null ? JsonNodeFactory.instance.objectNode() : payload;
        tenant = tenant == null ? "" : tenant;
    }

    /** A schedule firing on {@code cron}, with an empty payload, on the default queue, for no tenant. */
    public static PeriodicSchedule cron(String name, String job, String cron) {
        return new PeriodicSchedule(name, job, cron, null, null, null, "");
    }

    /** A schedule firing every {@code interval}, with an empty payload, on the default queue, for no tenant. */
    public static PeriodicSchedule every(String name, String job, Duration interval) {
        return new PeriodicSchedule(name, job, null, interval, null, null, "");
    }

    public PeriodicSchedule withPayload(ObjectNode input) {
        return new PeriodicSchedule(name, job, cron, every, input, queue, tenant);
    }

    public PeriodicSchedule onQueue(String queueName) {
        return new PeriodicSchedule(name, job, cron, every, payload, queueName, tenant);
    }

    public PeriodicSchedule forTenant(String owner) {
        return new PeriodicSchedule(name, job, cron, every, payload, queue, owner);
    }

    /**
     * The slot of a firing, in epoch milliseconds.
     *
     * @param scheduledFireTime when the scheduler meant to fire (the cron's time)
     * @param nowMs             the current time, for intervals
     */
    long slotMs(Instant scheduledFireTime, long nowMs) {
        if (cron != null) {
            return scheduledFireTime.truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        }
        long period = every.toMillis();
        return Math.floorDiv(nowMs, period) * period;
    }

    /**
     * How long the claim of {@code slotMs} is kept: two periods (for a cron, the gap to its next firing), and at
     * least {@link #MIN_CLAIM_TTL}. A replica that fires the same slot within it finds the claim and enqueues nothing.
     */
    Duration claimTtl(long slotMs) {
        Duration twoPeriods = period(slotMs).multipliedBy(2);
        return twoPeriods.compareTo(MIN_CLAIM_TTL) > 0 ? twoPeriods : MIN_CLAIM_TTL;
    }

    /** How the scheduler is told when to fire, for log lines. */
    String when() {
        return cron != null ? "cron '" + cron + "'" : "every " + every.toString().substring(2).toLowerCase();
    }

    private Duration period(long slotMs) {
        if (every != null) {
            return every;
        }
        ZonedDateTime slot = Instant.ofEpochMilli(slotMs).atZone(ZoneId.systemDefault());
        return ExecutionTime.forCron(parseCron(cron)).nextExecution(slot)
                .map(next -> Duration.between(slot, next))
                .orElse(Duration.ZERO);
    }

    private static Cron parseCron(String expression) {
        try {
            return QUARTZ.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Quartz cron with seconds, such as '0 0 2 * * ?': "
                    + e.getMessage(), e);
        }
    }
}

package io.aurum.offload.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Replicas agree on a firing's slot from the schedule and the time alone. */
class PeriodicScheduleTest {

    private static final Instant FIRE = Instant.parse("2026-12-03T02:00:00Z");

    @Test
    void givesACronFiringItsScheduledTimeToTheSecond() {
        PeriodicSchedule nightly = PeriodicSchedule.cron("nightly", "heavy_compute", "0 0 2 * * ?");

        long slot = nightly.slotMs(FIRE.plusMillis(250), FIRE.plusSeconds(3).toEpochMilli());

        assertThat(slot).isEqualTo(FIRE.toEpochMilli());
    }

    @Test
    void givesIntervalFiringsWithinOnePeriodTheSameSlot() {
        PeriodicSchedule everyMinute = PeriodicSchedule.every("tick", "heavy_compute", Duration.ofMinutes(1));

        long early = everyMinute.slotMs(FIRE, FIRE.plusSeconds(1).toEpochMilli());
        long late = everyMinute.slotMs(FIRE, FIRE.plusSeconds(59).toEpochMilli());

        assertThat(early).isEqualTo(late).isEqualTo(FIRE.toEpochMilli());
    }

    @Test
    void givesTheNextIntervalPeriodTheNextSlot() {
        PeriodicSchedule everyMinute = PeriodicSchedule.every("tick", "heavy_compute", Duration.ofMinutes(1));

        long next = everyMinute.slotMs(FIRE, FIRE.plusSeconds(61).toEpochMilli());

        assertThat(next).isEqualTo(FIRE.plusSeconds(60).toEpochMilli());
    }

    @Test
    void keepsClaimsOfShortPeriodsAtLeastAnHour() {
        PeriodicSchedule everySecond = PeriodicSchedule.every("tick", "heavy_compute", Duration.ofSeconds(1));

        assertThat(everySecond.claimTtl(FIRE.toEpochMilli())).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void keepsClaimsOfADailyCronForTwoDays() {
        PeriodicSchedule nightly = PeriodicSchedule.cron("nightly", "heavy_compute", "0 0 2 * * ?");

        assertThat(nightly.claimTtl(FIRE.toEpochMilli())).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void refusesAScheduleWithBothCronAndEvery() {
        assertThatThrownBy(() -> new PeriodicSchedule("x", "heavy_compute", "0 0 2 * * ?", Duration.ofSeconds(1),
                null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}

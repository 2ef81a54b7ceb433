package io.aurum.offload.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The retry policy and time limits of a job: backoff arithmetic, the retry decision and validation. */
class JobOptionsTest {

    /** A random draw in the middle of [0, 1): the jitter then neither shortens nor lengthens the wait. */
    private static final double NO_JITTER_DRAW = 0.5;

    private final JobOptions oneSecondUpToOneMinute = JobOptions.DEFAULT
            .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void waitsTheBackoffBeforeTheFirstRetry() {
        Duration delay = oneSecondUpToOneMinute.delayAfter(1, NO_JITTER_DRAW);

        assertThat(delay).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void doublesTheWaitAfterEachFurtherFailure() {
        assertThat(oneSecondUpToOneMinute.delayAfter(2, NO_JITTER_DRAW)).isEqualTo(Duration.ofSeconds(2));
        assertThat(oneSecondUpToOneMinute.delayAfter(3, NO_JITTER_DRAW)).isEqualTo(Duration.ofSeconds(4));
        assertThat(oneSecondUpToOneMinute.delayAfter(5, NO_JITTER_DRAW)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void capsTheWaitAtTheMaximumBackoff() {
        assertThat(oneSecondUpToOneMinute.delayAfter(7, NO_JITTER_DRAW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(oneSecondUpToOneMinute.delayAfter(10_000, NO_JITTER_DRAW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(oneSecondUpToOneMinute.delayAfter(Long.MAX_VALUE, NO_JITTER_DRAW)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void keepsTheJitteredWaitWithinTheJitterFractionOfTheBackoff() {
        JobOptions options = oneSecondUpToOneMinute.withJitter(0.2);

        Duration shortest = options.delayAfter(3, 0.0);
        Duration longest = options.delayAfter(3, Math.nextDown(1.0));

        assertThat(shortest).isEqualTo(Duration.ofMillis(3_200));
        assertThat(longest).isEqualTo(Duration.ofMillis(4_800));
        for (double draw = 0; draw < 1; draw += 0.01) {
            assertThat(options.delayAfter(3, draw)).isBetween(shortest, longest);
        }
    }

    @Test
    void appliesTheJitterToTheCappedWait() {
        JobOptions options = oneSecondUpToOneMinute.withJitter(0.5);

        Duration longest = options.delayAfter(50, Math.nextDown(1.0));

        assertThat(longest).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void waitsExactlyTheBackoffWithoutJitter() {
        JobOptions options = oneSecondUpToOneMinute.withJitter(0);

        assertThat(options.delayAfter(2, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.delayAfter(2, Math.nextDown(1.0))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retriesWhileFailuresAreBelowTheMaximumAttempts() {
        JobOptions threeAttempts = JobOptions.DEFAULT.withMaxAttempts(3);
        IllegalStateException error = new IllegalStateException("flaky");

        assertThat(threeAttempts.shouldRetry(error, 1)).isTrue();
        assertThat(threeAttempts.shouldRetry(error, 2)).isTrue();
        assertThat(threeAttempts.shouldRetry(error, 3)).isFalse();
    }

    @Test
    void neverRetriesWithASingleAttempt() {
        JobOptions once = JobOptions.DEFAULT.withMaxAttempts(1);

        assertThat(once.shouldRetry(new IllegalStateException("once"), 1)).isFalse();
    }

    @Test
    void neverRetriesAPermanentFailureEvenWhenTheFilterWouldAcceptIt() {
        JobOptions retryEverything = JobOptions.DEFAULT.withMaxAttempts(10).retryingOn(error -> true);

        assertThat(retryEverything.shouldRetry(new PermanentFailure("bad input"), 1)).isFalse();
    }

    @Test
    void retriesOnlyTheErrorsItsFilterAccepts() {
        JobOptions onlyIo = JobOptions.DEFAULT.retryingOn(IOException.class::isInstance);

        assertThat(onlyIo.shouldRetry(new IOException("connection reset"), 1)).isTrue();
        assertThat(onlyIo.shouldRetry(new IllegalArgumentException("bad"), 1)).isFalse();
    }

    @Test
    void defaultsToThreeAttemptsOneSecondApartWithoutTimeLimits() {
        JobOptions defaults = JobOptions.DEFAULT;

        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(defaults.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.jitter()).isEqualTo(0.2);
        assertThat(defaults.softTimeLimit()).isNull();
        assertThat(defaults.hardTimeLimit()).isNull();
    }

    @Test
    void refusesFewerThanOneAttempt() {
        assertThatThrownBy(() -> JobOptions.DEFAULT.withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts")
                .hasMessageContaining("0");
    }

    @Test
    void refusesAJitterOutsideZeroToOne() {
        assertThatThrownBy(() -> JobOptions.DEFAULT.withJitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> JobOptions.DEFAULT.withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
    }

    @Test
    void refusesASoftTimeLimitAboveTheHardOne() {
        assertThatThrownBy(() -> JobOptions.DEFAULT.withTimeLimits(Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softTimeLimit")
                .hasMessageContaining("hardTimeLimit");
    }

    @Test
    void acceptsASoftOrAHardTimeLimitAlone() {
        JobOptions softOnly = JobOptions.DEFAULT.withTimeLimits(Duration.ofSeconds(5), null);
        JobOptions hardOnly = JobOptions.DEFAULT.withTimeLimits(null, Duration.ofSeconds(5));

        assertThat(softOnly.softTimeLimit()).isEqualTo(Duration.ofSeconds(5));
        assertThat(hardOnly.hardTimeLimit()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesAMissingBackoffOrRetryFilter() {
        assertThatThrownBy(() -> JobOptions.DEFAULT.withBackoff(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("backoff");
        assertThatThrownBy(() -> JobOptions.DEFAULT.retryingOn(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("retryOn");
    }
}

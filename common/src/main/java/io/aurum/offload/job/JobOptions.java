package io.aurum.offload.job;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a job is retried and how long it may run. Give a job its own by overriding {@link Job#options()} or by
 * registering it with {@link JobRegistry#registerJob(String, Job, JobOptions)}.
 *
 * @param maxAttempts    runs that may end in an error before the task fails for good; 1 means no retry
 * @param backoff        wait before the first retry; each further retry waits twice as long
 * @param maxBackoff     longest wait between two attempts
 * @param jitter         fraction (0 to 1) by which each wait is varied at random, so retries do not stampede
 * @param retryOn        which errors are worth another attempt; {@link PermanentFailure} never is
 * @param softTimeLimit  after this long the job's thread is interrupted so it can clean up and stop; null: none
 * @param hardTimeLimit  after this long the task ends in FAILURE (time limit) whatever the job does; null: none
 */
public record JobOptions(int maxAttempts, Duration backoff, Duration maxBackoff, double jitter,
        Predicate<Throwable> retryOn, Duration softTimeLimit, Duration hardTimeLimit) {

    /** Three attempts, 1 s then 2 s apart (capped at 10 min), 20 % jitter, any error but a permanent one; no limits. */
    public static final JobOptions DEFAULT = new JobOptions(3, Duration.ofSeconds(1), Duration.ofMinutes(10), 0.2,
            error -> true, null, null);

    public JobOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(retryOn, "retryOn");
        if (softTimeLimit != null && hardTimeLimit != null && softTimeLimit.compareTo(hardTimeLimit) > 0) {
            throw new IllegalArgumentException("softTimeLimit " + softTimeLimit + " is above hardTimeLimit "
                    + hardTimeLimit);
        }
    }

    public JobOptions withMaxAttempts(int attempts) {
        return new JobOptions(attempts, backoff, maxBackoff, jitter, retryOn, softTimeLimit, hardTimeLimit);
    }

    public JobOptions withBackoff(Duration first, Duration max) {
        return new JobOptions(maxAttempts, first, max, jitter, retryOn, softTimeLimit, hardTimeLimit);
    }

    public JobOptions withJitter(double fraction) {
        return new JobOptions(maxAttempts, backoff, maxBackoff, fraction, retryOn, softTimeLimit, hardTimeLimit);
    }

    public JobOptions retryingOn(Predicate<Throwable> errors) {
        return new JobOptions(maxAttempts, backoff, maxBackoff, jitter, errors, softTimeLimit, hardTimeLimit);
    }

    public JobOptions withTimeLimits(Duration soft, Duration hard) {
        return new JobOptions(maxAttempts, backoff, maxBackoff, jitter, retryOn, soft, hard);
    }

    /** Whether {@code error}, ending run number {@code failures}, earns another attempt. */
    public boolean shouldRetry(Throwable error, long failures) {
        return failures < maxAttempts && !(error instanceof PermanentFailure) && retryOn.test(error);
    }

    /**
     * The wait before the retry that follows failure number {@code failures} (from 1): exponential, capped, and
     * varied by the jitter, given a random draw {@code unit} in [0, 1).
     */
    public Duration delayAfter(long failures, double unit) {
        long base = backoff.toMillis();
        int doublings = (int) Math.min(Math.max(failures - 1, 0), 40);
        long exponential = base > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : base << doublings;
        long capped = Math.min(exponential, maxBackoff.toMillis());
        double varied = capped * (1 - jitter + 2 * jitter * unit);
        return Duration.ofMillis(Math.max(0, Math.round(varied)));
    }
}

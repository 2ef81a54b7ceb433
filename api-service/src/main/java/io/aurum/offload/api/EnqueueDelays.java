package io.aurum.offload.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.aurum.offload.task.EnqueueOptions;

/**
 * The optional delay of an enqueue, from the query: {@code countdown} (whole seconds from now) or
 * {@code not_before} (an ISO-8601 instant), never both. The task waits in Redis, not in a worker.
 */
final class EnqueueDelays {

    static final String COUNTDOWN = "countdown";
    static final String NOT_BEFORE = "not_before";

    /** The longest delay accepted, one year, so that a typo does not park a task for centuries. */
    static final Duration MAX_DELAY = Duration.ofDays(365);

    private EnqueueDelays() {
    }

    /** Adds the earliest start to {@code options} when one was asked for; refuses a malformed one with a 400. */
    static EnqueueOptions apply(String countdown, String notBefore, EnqueueOptions options) {
        if (countdown != null && notBefore != null) {
            throw ProblemException.badRequest("invalid-delay",
                    "Send either " + COUNTDOWN + " or " + NOT_BEFORE + ", not both.");
        }
        if (countdown != null) {
            return options.notBefore(Instant.now().plusSeconds(seconds(countdown)));
        }
        if (notBefore != null) {
            return options.notBefore(instant(notBefore));
        }
        return options;
    }

    private static long seconds(String countdown) {
        try {
            long seconds = Long.parseLong(countdown);
            if (seconds >= 0 && seconds <= MAX_DELAY.toSeconds()) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the format.
        }
        throw ProblemException.badRequest("invalid-delay", "The " + COUNTDOWN + " parameter must be a whole "
                + "number of seconds from 0 to " + MAX_DELAY.toSeconds() + ", e.g. countdown=30.");
    }

    private static Instant instant(String notBefore) {
        try {
            Instant earliest = Instant.parse(notBefore);
            if (!earliest.isAfter(Instant.now().plus(MAX_DELAY))) {
                return earliest;
            }
        } catch (DateTimeParseException e) {
            // Refused below, with the format.
        }
        throw ProblemException.badRequest("invalid-delay", "The " + NOT_BEFORE + " parameter must be an ISO-8601 "
                + "instant such as 2030-01-31T12:00:00Z, at most " + MAX_DELAY.toDays() + " days ahead.");
    }
}

package io.aurum.offload.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The optional {@code wait} of a status read, from the query: how many seconds (a decimal, at most
 * {@link #LONGEST}) the read may wait for the task to finish before it answers. Absent or 0: it answers at once.
 */
final class TaskWaits {

    static final String WAIT = "wait";

    /** The longest wait accepted: long enough to save most polls, short enough for proxies' idle timeouts. */
    static final Duration LONGEST = Duration.ofSeconds(30);

    /** Digits, then optionally a point and digits: no sign, exponent or spaces. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    private TaskWaits() {
    }

    /** The wait asked for, zero for none; refuses a malformed one with a 400. */
    static Duration parse(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (DECIMAL.matcher(wait).matches()) {
            BigDecimal seconds = new BigDecimal(wait);
            if (seconds.compareTo(BigDecimal.valueOf(LONGEST.toSeconds())) <= 0) {
                // Up to the next millisecond, so that a tiny wait is still a wait.
                return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
            }
        }
        throw ProblemException.badRequest("invalid-wait", "The " + WAIT + " parameter must be a number of seconds "
                + "from 0 to " + LONGEST.toSeconds() + ", such as wait=10 or wait=0.5.");
    }
}

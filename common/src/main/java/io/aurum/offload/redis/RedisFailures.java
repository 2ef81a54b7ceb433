package io.aurum.offload.redis;

import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.aurum.offload.client.BackendUnavailableException;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Tells an outage (Redis down, slow, loading, out of memory) from a bug (a script error), and logs outages once
 * when they start and once when they end, not on every failed call.
 */
public final class RedisFailures {

    private static final Logger LOG = Logger.getLogger(RedisFailures.class);

    /** Error replies that mean "try again later" rather than "this request is wrong". */
    private static final Set<String> TRANSIENT_REPLIES = Set.of("LOADING", "BUSY", "MASTERDOWN", "READONLY", "OOM",
            "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS",
            // Not a Redis reply: the Vert.x client fails the requests still waiting on a connection that drops with it.
            "CONNECTION_CLOSED");

    private final AtomicLong downSince = new AtomicLong();
    private final String what;

    public RedisFailures(String what) {
        this.what = what;
    }

    /** An I/O failure, a timeout or a transient error reply; anything else is a defect of ours. */
    public static boolean isOutage(Throwable failure) {
        if (failure instanceof BackendUnavailableException || failure instanceof TimeoutException) {
            return true;
        }
        if (failure instanceof ErrorType error) {
            String message = error.getMessage() == null ? "" : error.getMessage();
            int space = message.indexOf(' ');
            return TRANSIENT_REPLIES.contains(space < 0 ? message : message.substring(0, space));
        }
        return true;
    }

    /** Turns an outage into {@link BackendUnavailableException}; leaves defects as they are. */
    public Throwable classify(Throwable failure) {
        if (!isOutage(failure)) {
            return failure;
        }
        if (downSince.compareAndSet(0, System.currentTimeMillis())) {
            LOG.warnf("%s unreachable: %s", what, failure.toString());
        }
        return failure instanceof BackendUnavailableException
                ? failure
                : new BackendUnavailableException(what + " is unreachable", failure);
    }

    /** Records a call that worked; the first one after an outage logs its end and length. */
    public void succeeded() {
        long since = downSince.get();
        if (since != 0 && downSince.compareAndSet(since, 0)) {
            LOG.infof("%s reachable again after %d ms", what, System.currentTimeMillis() - since);
        }
    }
}

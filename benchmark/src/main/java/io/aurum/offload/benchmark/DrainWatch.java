package io.aurum.offload.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Watches a queue empty out: polls the length of its pending list and of every active list of its workers, all
 * in one pipelined batch per poll, until nothing is left in either (every task taken and acknowledged, which a
 * worker does only after storing the outcome).
 */
final class DrainWatch {

    static final String QUEUE = "default";
    static final String PENDING = "aurum:{q:" + QUEUE + "}:pending";
    static final String WORKERS = "aurum:{q:" + QUEUE + "}:workers";

    /**
     * How the drain went.
     *
     * @param firstTakeNanos when the pending list was first seen shorter than it started
     * @param pendingAtFirstTake its length then: the tasks taken after that moment
     * @param endNanos when pending and active lists were first seen empty
     * @param timedOut the wait ran out first
     * @param left tasks still pending or active at the end
     */
    record Drained(long firstTakeNanos, long pendingAtFirstTake, long endNanos, boolean timedOut, long left) {

        /** Tasks taken after the first observed take, per second until empty: worker boot excluded. */
        double jobsPerSecond() {
            double seconds = (endNanos - firstTakeNanos) / 1e9;
            return firstTakeNanos == 0 || seconds <= 0 ? 0 : pendingAtFirstTake / seconds;
        }
    }

    private DrainWatch() {
    }

    /** The pending list of {@code queue}. */
    static String pending(String queue) {
        return "aurum:{q:" + queue + "}:pending";
    }

    static String active(String workerId) {
        return "aurum:{q:" + QUEUE + "}:active:" + workerId;
    }

    /** Polls every {@code every} until {@code queued} tasks are done, at most {@code atMost}. */
    static Drained watch(RedisProbe redis, OffloadService worker, long queued, Duration every, Duration atMost) {
        Set<String> workers = new LinkedHashSet<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        long firstTake = 0;
        long pendingAtFirst = queued;
        long polls = 0;
        while (true) {
            List<String> polled = List.copyOf(workers);
            List<Request> batch = new ArrayList<>();
            batch.add(Request.cmd(Command.LLEN).arg(PENDING));
            batch.add(Request.cmd(Command.ZRANGE).arg(WORKERS).arg(0).arg(-1));
            polled.forEach(id -> batch.add(Request.cmd(Command.LLEN).arg(active(id))));
            List<Response> answers = redis.brokerBatch(batch);
            long now = System.nanoTime();

            long pending = answers.get(0).toLong();
            answers.get(1).forEach(id -> workers.add(id.toString()));
            long active = answers.subList(2, answers.size()).stream().mapToLong(Response::toLong).sum();
            if (firstTake == 0 && pending < queued) {
                firstTake = now;
                pendingAtFirst = pending;
            }
            boolean allPolled = !workers.isEmpty() && polled.containsAll(workers);
            if (pending == 0 && active == 0 && allPolled) {
                return new Drained(firstTake, pendingAtFirst, now, false, 0);
            }
            if (now > deadline) {
                return new Drained(firstTake, pendingAtFirst, now, true, pending + active);
            }
            if (++polls % 200 == 0) {
                worker.ensureAlive();
            }
            LockSupport.parkNanos(every.toNanos());
        }
    }
}

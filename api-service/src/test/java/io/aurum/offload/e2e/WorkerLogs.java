package io.aurum.offload.e2e;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Figures read from the workers' logs, for the reports the tests print (delivery is at-least-once, so a task may
 * legitimately run twice after a crash; the tests assert outcomes through HTTP, not these counts).
 */
final class WorkerLogs {

    private static final Pattern WORKER_ID = Pattern.compile("Worker (\\S+) started with");

    private WorkerLogs() {
    }

    /** How many tasks these workers started more than once, all together. */
    static long ranMoreThanOnce(ServiceProcess... workers) {
        Map<String, Long> starts = perTask("STARTED", workers);
        return starts.values().stream().filter(count -> count > 1).count();
    }

    /**
     * How often each task id appears in these workers' {@code task EVENT id=...} lines (see {@code TaskLog}), all
     * together: {@code SUCCESS}, {@code STARTED}, {@code dropped}, {@code interrupted}, {@code requeued}...
     */
    static Map<String, Long> perTask(String event, ServiceProcess... workers) {
        Pattern line = Pattern.compile("task " + Pattern.quote(event) + " id=(\\S+)");
        return Arrays.stream(workers).flatMap(worker -> worker.output().lines())
                .map(line::matcher).filter(Matcher::find).map(match -> match.group(1))
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    }

    /** The worker's id as it logged it at start; it names the worker's active lists. */
    static String workerId(ServiceProcess worker) {
        return worker.output().lines().map(WORKER_ID::matcher).filter(Matcher::find).map(match -> match.group(1))
                .findFirst().orElseThrow(() -> new IllegalStateException(worker + " has not logged its start"));
    }
}

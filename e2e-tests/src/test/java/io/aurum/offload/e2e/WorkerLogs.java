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

    private static final Pattern STARTED = Pattern.compile("task STARTED id=(\\S+)");

    private WorkerLogs() {
    }

    /** How many tasks these workers started more than once, all together. */
    static long ranMoreThanOnce(ServiceProcess... workers) {
        Map<String, Long> starts = Arrays.stream(workers).flatMap(worker -> worker.output().lines())
                .map(STARTED::matcher).filter(Matcher::find).map(match -> match.group(1))
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        return starts.values().stream().filter(count -> count > 1).count();
    }
}

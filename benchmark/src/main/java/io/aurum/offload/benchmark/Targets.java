package io.aurum.offload.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/** The targets, as ratios within one run, each met or missed by how much. */
final class Targets {

    /**
     * One target.
     *
     * @param target what is compared
     * @param ours our figure
     * @param reference the peer's figure it is compared with, or {@code -}
     * @param measured the ratio (ours / reference) or, for an absolute target, our figure; empty when a side is
     *     missing from the run
     * @param goal what the issue asks, as text
     * @param met whether {@code measured} reaches the goal
     * @param verdict {@code met}, {@code missed ...} by how much, or {@code not measured}
     */
    record Row(String target, String ours, String reference, OptionalDouble measured, String goal, boolean met,
            String verdict) {
    }

    private static final String FASTAPI = "fastapi_celery";

    private final ResultSet results;
    private final List<Row> rows = new ArrayList<>();

    private Targets(ResultSet results) {
        this.results = results;
    }

    static List<Row> of(ResultSet results) {
        Targets targets = new Targets(results);
        targets.collect();
        return List.copyOf(targets.rows);
    }

    private void collect() {
        String us = Figures.PEER;
        atLeast("HTTP enqueue req/s vs FastAPI+Celery, 1 uvicorn worker", value(us, "post_req_per_s"),
                value(FASTAPI + " uvicorn_workers=1", "post_req_per_s"), 10);
        atLeast("HTTP enqueue req/s vs FastAPI+Celery, 2 uvicorn workers", value(us, "post_req_per_s"),
                value(FASTAPI + " uvicorn_workers=2", "post_req_per_s"), 5);
        List<String> drainPeers = results.seriesWith("drain_jobs_per_s").stream().filter(s -> !s.equals(us)).toList();
        if (drainPeers.isEmpty()) {
            rows.add(missing("worker drain jobs/s vs every peer", value(us, "drain_jobs_per_s"), "ahead (> 1x)"));
        }
        for (String peer : drainPeers) {
            ahead("worker drain jobs/s vs " + peer, value(us, "drain_jobs_per_s"), value(peer, "drain_jobs_per_s"));
        }
        roundTrips("enqueue", "per database touched", 1);
        roundTrips("status", "per database touched", 1);
        atMost("Redis round trips per task run (worker)", value(us, "roundtrips_per_task_run"), 3);
        Set<String> withLatency = results.seriesWith("rtt_p50_ms");
        String celery = !withLatency.contains("celery") && withLatency.contains("celery_threads")
                ? "celery_threads" : "celery";
        notSlower("end-to-end p50 ms (HTTP, long-poll) vs " + celery + " result.get() p50",
                value(us, "e2e_p50_ms"), value(celery, "rtt_p50_ms"));
    }

    private void roundTrips(String phase, String scope, double goal) {
        String metric = "roundtrips_per_" + phase;
        boolean any = false;
        for (int db = 0; db < 16; db++) {
            OptionalDouble perDb = results.detail(Figures.PEER, metric, "db" + db);
            if (perDb.isPresent()) {
                any = true;
                atMost("Redis round trips per " + phase + ", database " + db + " (" + scope + ")", perDb, goal);
            }
        }
        if (!any) {
            atMost("Redis round trips per " + phase + " (" + scope + ")", value(Figures.PEER, metric), goal);
        }
    }

    private void atLeast(String target, OptionalDouble ours, OptionalDouble reference, double times) {
        String goal = ">= " + trim(times) + "x";
        if (ours.isEmpty() || reference.isEmpty() || reference.getAsDouble() <= 0) {
            rows.add(missing(target, ours, reference, goal));
            return;
        }
        double ratio = ours.getAsDouble() / reference.getAsDouble();
        boolean met = ratio >= times;
        rows.add(new Row(target, num(ours), num(reference), OptionalDouble.of(ratio), goal, met,
                met ? "met" : "missed: %sx, %sx short of %sx".formatted(two(ratio), two(times / ratio), trim(times))));
    }

    private void ahead(String target, OptionalDouble ours, OptionalDouble reference) {
        String goal = "> 1x (ahead)";
        if (ours.isEmpty() || reference.isEmpty() || reference.getAsDouble() <= 0) {
            rows.add(missing(target, ours, reference, goal));
            return;
        }
        double ratio = ours.getAsDouble() / reference.getAsDouble();
        boolean met = ratio > 1;
        rows.add(new Row(target, num(ours), num(reference), OptionalDouble.of(ratio), goal, met,
                met ? "met" : "missed: %sx, behind by %s%%".formatted(two(ratio), percent(1 - ratio))));
    }

    private void notSlower(String target, OptionalDouble ours, OptionalDouble reference) {
        String goal = "<= 1x";
        if (ours.isEmpty() || reference.isEmpty() || reference.getAsDouble() <= 0) {
            rows.add(missing(target, ours, reference, goal));
            return;
        }
        double ratio = ours.getAsDouble() / reference.getAsDouble();
        boolean met = ratio <= 1;
        rows.add(new Row(target, num(ours), num(reference), OptionalDouble.of(ratio), goal, met,
                met ? "met" : "missed: %sx, %s ms slower".formatted(two(ratio),
                        two(ours.getAsDouble() - reference.getAsDouble()))));
    }

    private void atMost(String target, OptionalDouble ours, double limit) {
        String goal = "<= " + trim(limit);
        if (ours.isEmpty()) {
            rows.add(missing(target, ours, goal));
            return;
        }
        // Counts per task are averages over a sample: allow for the last digit printed.
        boolean met = ours.getAsDouble() <= limit + 0.0005;
        rows.add(new Row(target, num(ours), "-", ours, goal, met,
                met ? "met" : "missed: %s, %s over".formatted(Figures.format(ours.getAsDouble()),
                        Figures.format(ours.getAsDouble() - limit))));
    }

    private static Row missing(String target, OptionalDouble ours, OptionalDouble reference, String goal) {
        return new Row(target, num(ours), num(reference), OptionalDouble.empty(), goal, false,
                "not measured in this run");
    }

    private static Row missing(String target, OptionalDouble ours, String goal) {
        return missing(target, ours, OptionalDouble.empty(), goal);
    }

    private OptionalDouble value(String series, String metric) {
        return results.value(series, metric);
    }

    static String num(OptionalDouble value) {
        return value.isPresent() ? Figures.format(value.getAsDouble()) : "-";
    }

    static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f", share * 100);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : two(value);
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns one run's results file into {@code OUT/STAMP.md} (machine, command, targets, side-by-side figures, every
 * figure) and {@code OUT/STAMP.png}, with copies as {@code latest.md} and {@code latest.png}.
 */
final class Report {

    /** Figures that mean the same for us and the peers: label, our metric, the peers' metric. */
    private static final List<String[]> COMPARABLE = List.of(
            new String[] {"worker drain, jobs/s", "drain_jobs_per_s", "drain_jobs_per_s"},
            new String[] {"cold worker drain, jobs/s (ours: warm-up jobs, JIT cold; peers: incl. boot)",
                "drain_warmup_jobs_per_s", "drain_jobs_per_s_incl_boot"},
            new String[] {"one job enqueue to result, p50 ms", "e2e_p50_ms", "rtt_p50_ms"},
            new String[] {"one job enqueue to result, p99 ms", "e2e_p99_ms", "rtt_p99_ms"},
            new String[] {"HTTP enqueue, req/s", "post_req_per_s", "post_req_per_s"},
            new String[] {"HTTP enqueue, p99 ms", "post_p99_ms", "post_p99_ms"},
            new String[] {"HTTP status, req/s", "get_req_per_s", "get_req_per_s"},
            new String[] {"HTTP status, p99 ms", "get_p99_ms", "get_p99_ms"},
            new String[] {"Redis LPUSH limit, ops/s", "redis_lpush_ops_per_s", "lpush_ops_per_s"},
            new String[] {"Redis RPOP limit, ops/s", "redis_rpop_ops_per_s", "rpop_ops_per_s"});

    private Report() {
    }

    static void write(Path resultsFile, Path outDir, String stamp, Map<String, String> env) throws IOException {
        List<String> text = Files.readAllLines(resultsFile);
        ResultSet results = ResultSet.parse(text);
        List<Targets.Row> targets = Targets.of(results);
        Files.createDirectories(outDir);

        Path png = outDir.resolve(stamp + ".png");
        boolean charted = Chart.draw(results, png, "Aurum Offload and its peers, run " + stamp);
        String command = env.getOrDefault("BENCH_COMMAND", "scripts/bench.sh");
        Files.writeString(outDir.resolve(stamp + ".md"),
                markdown(stamp, command, text, results, targets, charted ? stamp + ".png" : null));
        Files.writeString(outDir.resolve("latest.md"),
                markdown(stamp, command, text, results, targets, charted ? "latest.png" : null));
        if (charted) {
            Files.copy(png, outDir.resolve("latest.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Targets.Row row : targets) {
            System.out.println("# target: " + row.target() + ": " + row.verdict());
        }
    }

    static String markdown(String stamp, String command, List<String> text, ResultSet results,
            List<Targets.Row> targets, String chart) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark run ").append(stamp).append("\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append("Raw lines: [`").append(stamp).append(".txt`](").append(stamp).append(".txt)\n\n");
        machine(md);
        notes(md, text);
        targets(md, targets);
        sideBySide(md, results);
        if (chart != null) {
            md.append("![drain and HTTP enqueue throughput, ours and the peers'](").append(chart).append(")\n\n");
        }
        everyFigure(md, results);
        return md.toString();
    }

    private static void machine(StringBuilder md) {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        Machine.describe().forEach((key, value) -> md.append("| ").append(key).append(" | ")
                .append(value.replace("|", "/")).append(" |\n"));
        md.append('\n');
    }

    private static void notes(StringBuilder md, List<String> text) {
        List<String> notes = text.stream().filter(line -> line.startsWith("#")).toList();
        if (!notes.isEmpty()) {
            md.append("Run notes:\n\n```\n");
            notes.forEach(line -> md.append(line).append('\n'));
            md.append("```\n\n");
        }
    }

    private static void targets(StringBuilder md, List<Targets.Row> targets) {
        md.append("## Targets (issue 4), as ratios within this run\n\n");
        md.append("| target | ours | peer | ratio or count | goal | result |\n|---|---|---|---|---|---|\n");
        for (Targets.Row row : targets) {
            md.append("| ").append(row.target()).append(" | ").append(row.ours()).append(" | ")
                    .append(row.reference()).append(" | ").append(Targets.num(row.measured())).append(" | ")
                    .append(row.goal()).append(" | ").append(row.met() ? "**met**" : row.verdict())
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void sideBySide(StringBuilder md, ResultSet results) {
        Set<String> columns = new LinkedHashSet<>();
        columns.add(Figures.PEER);
        for (String[] figure : COMPARABLE) {
            columns.addAll(results.seriesWith(figure[2]).stream().filter(s -> !s.startsWith("redis ")).toList());
        }
        columns.remove("redis");
        List<String> header = new ArrayList<>(columns);
        md.append("## Side by side (median over passes)\n\n| figure | ")
                .append(header.stream().map(s -> s.replace(" uvicorn_workers=", ", uvicorn x"))
                        .collect(Collectors.joining(" | ")))
                .append(" | redis |\n|---|").append("---|".repeat(header.size() + 1)).append('\n');
        for (String[] figure : COMPARABLE) {
            md.append("| ").append(figure[0]);
            for (String series : header) {
                String metric = series.equals(Figures.PEER) ? figure[1] : figure[2];
                md.append(" | ").append(Targets.num(results.value(series, metric)));
            }
            OptionalDouble limit = results.value("redis pipeline=1", figure[2]);
            md.append(" | ").append(Targets.num(limit)).append(" |\n");
        }
        noise(md, results);
        md.append("\nOurs: HTTP through the api, results stored, the worker at its default concurrency; one job at a "
                + "time is POST then GET `?wait=5` until SUCCESS. The peers' own notes are in their lines.\n\n");
    }

    /** The harness's noise indicator: CPU used by processes outside it while each peer ran. */
    private static void noise(StringBuilder md, ResultSet results) {
        Set<String> peers = results.seriesWith("foreign_cpu_pct");
        if (peers.isEmpty()) {
            return;
        }
        md.append("\nCPU used by other processes while each peer ran, % of all cores (0 = the machine was ours): ")
                .append(peers.stream().map(p -> p + " " + Targets.num(results.value(p, "foreign_cpu_pct")))
                        .collect(Collectors.joining(", ")))
                .append(".\n");
    }

    private static void everyFigure(StringBuilder md, ResultSet results) {
        md.append("## Every figure\n\n| peer | metric | value | n | conc | run | details |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (ResultLine line : results.lines()) {
            String details = line.details().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            md.append("| ").append(line.peer()).append(" | ").append(line.metric()).append(" | ")
                    .append(Figures.format(line.value())).append(" | ").append(line.n()).append(" | ")
                    .append(line.concurrency()).append(" | ").append(line.run()).append(" | ")
                    .append(details.replace("|", "/")).append(" |\n");
        }
        md.append('\n');
    }
}

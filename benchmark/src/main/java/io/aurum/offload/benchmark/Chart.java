package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Two bar charts side by side, drawn by gnuplot (Debian's gnuplot-nox): worker drain jobs/s and HTTP enqueue
 * requests/s, ours beside each peer's. Our bars are the dark ones.
 */
final class Chart {

    private static final String OURS = "0x1f4e79";
    private static final String THEIRS = "0x9db7d5";

    private Chart() {
    }

    /** Draws the chart of {@code results} into {@code png}; returns false (and says why) when gnuplot failed. */
    static boolean draw(ResultSet results, Path png, String title) throws IOException {
        Path dir = Files.createTempDirectory("aurum-chart-");
        Path drain = data(dir.resolve("drain.dat"), bars(results, "drain_jobs_per_s"));
        Path post = data(dir.resolve("post.dat"), bars(results, "post_req_per_s"));
        for (String terminal : List.of("pngcairo size 1200,520 font 'sans,10'", "png size 1200,520")) {
            Path script = dir.resolve("chart.gp");
            Files.writeString(script, script(terminal, png, title, drain, post));
            String out;
            try {
                out = ChildProcesses.output(List.of("gnuplot", script.toString()), Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                out = e.getMessage();
            }
            if (Files.isRegularFile(png) && Files.size(png) > 0 && !out.contains("unknown or ambiguous terminal")) {
                return true;
            }
            Figures.note("gnuplot with terminal " + terminal.split(" ")[0] + " failed: " + out.trim());
        }
        return false;
    }

    /** Label to value, ours first, for every series that has {@code metric}. */
    static Map<String, Double> bars(ResultSet results, String metric) {
        Map<String, Double> bars = new LinkedHashMap<>();
        List<String> series = new ArrayList<>(results.seriesWith(metric));
        series.sort((a, b) -> Boolean.compare(!a.equals(Figures.PEER), !b.equals(Figures.PEER)));
        for (String name : series) {
            OptionalDouble value = results.value(name, metric);
            value.ifPresent(v -> bars.put(label(name), v));
        }
        return bars;
    }

    private static String label(String series) {
        return series.replace(" uvicorn_workers=", "\\n uvicorn x").replace("_", " ");
    }

    private static Path data(Path file, Map<String, Double> bars) throws IOException {
        StringBuilder text = new StringBuilder();
        bars.forEach((label, value) -> text.append('"').append(label).append("\" ")
                .append(String.format(Locale.ROOT, "%.1f", value)).append(' ')
                .append(label.equals(Figures.PEER) ? OURS : THEIRS).append('\n'));
        if (bars.isEmpty()) {
            text.append("\"none\" 0 ").append(THEIRS).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

    private static String script(String terminal, Path png, String title, Path drain, Path post) {
        return """
                set terminal %s
                set output '%s'
                set multiplot layout 1,2 title '%s'
                set style fill solid 0.9 border -1
                set boxwidth 0.6
                set grid ytics
                set yrange [0:*]
                set xtics nomirror
                set ytics nomirror
                set offsets 0.5, 0.5, graph 0.08, 0
                set bmargin 5
                set title 'worker drain, no-op jobs/s (N queued, default concurrency)'
                plot '%s' using 0:2:3:xtic(1) with boxes lc rgb variable notitle, \\
                     '' using 0:2:(sprintf('%%.0f', $2)) with labels offset 0,0.8 notitle
                set title 'HTTP enqueue, requests/s (wrk, 32 connections, no worker)'
                plot '%s' using 0:2:3:xtic(1) with boxes lc rgb variable notitle, \\
                     '' using 0:2:(sprintf('%%.0f', $2)) with labels offset 0,0.8 notitle
                unset multiplot
                """.formatted(terminal, png, title, drain, post);
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's package) as the fastapi peer does: {@code -t2 -c32 -d20s --latency}, 5 s timeout. */
final class Wrk {

    /**
     * What one wrk run reported.
     *
     * @param requestsPerSecond wrk's {@code Requests/sec}
     * @param p50Ms median latency, ms
     * @param p99Ms 99th percentile latency, ms
     * @param requests requests completed
     * @param non2xx answers that were neither 2xx nor 3xx
     * @param socketErrors wrk's socket error summary, or {@code none}
     */
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long non2xx,
            String socketErrors) {

        Map<String, Object> details(String duration) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("requests", requests);
            details.put("non2xx", non2xx);
            details.put("sockerr", socketErrors);
            details.put("duration", duration);
            return details;
        }
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: (.*)");
    private static final Pattern DURATION = Pattern.compile("([\\d.]+)(us|ms|s|m)");

    private final BenchSettings settings;
    private final Path workDir;

    Wrk(BenchSettings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    /** {@code POST url} with {@code body} as JSON and the tenant header, for {@code duration}. */
    Result post(URI url, String body, String tenant, String duration) {
        String script = """
                wrk.method = "POST"
                wrk.body = '%s'
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["X-Aurum-Tenant"] = "%s"
                """.formatted(body, tenant);
        return run(url, script, duration);
    }

    /** {@code GET url} with the tenant header, for {@code duration}. */
    Result get(URI url, String tenant, String duration) {
        return run(url, "wrk.headers[\"X-Aurum-Tenant\"] = \"%s\"\n".formatted(tenant), duration);
    }

    private Result run(URI url, String luaScript, String duration) {
        Path script = workDir.resolve("wrk-" + System.nanoTime() + ".lua");
        try {
            Files.writeString(script, luaScript);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + script, e);
        }
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + settings.wrkThreads(),
                "-c" + settings.wrkConnections(), "-d" + duration, "--timeout", "5s", "--latency",
                "-s", script.toString(), url.toString()));
        Duration atMost = Duration.ofMillis((long) millis(duration)).plusSeconds(60);
        String out = ChildProcesses.outputViaFile(command, workDir.resolve("wrk.out"), atMost);
        Result result = parse(out);
        if (result.requests() == 0) {
            throw new IllegalStateException("wrk completed no request:\n" + out);
        }
        return result;
    }

    static Result parse(String out) {
        return new Result(number(RPS, out), percentile(out, "50"), percentile(out, "99"),
                (long) number(REQUESTS, out), (long) number(NON_2XX, out), socketErrors(out));
    }

    /** A wrk duration ({@code 812.00us}, {@code 1.20ms}, {@code 2.00s}, {@code 1m}) in milliseconds. */
    static double millis(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a wrk duration: " + text);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }

    private static double percentile(String out, String p) {
        Matcher m = Pattern.compile("^\\s+" + p + "%\\s+(\\S+)", Pattern.MULTILINE).matcher(out);
        return m.find() ? millis(m.group(1)) : Double.NaN;
    }

    private static double number(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String socketErrors(String out) {
        Matcher m = SOCKET_ERRORS.matcher(out);
        return m.find() ? m.group(1).replace(" ", "").replace(",", "/") : "none";
    }
}

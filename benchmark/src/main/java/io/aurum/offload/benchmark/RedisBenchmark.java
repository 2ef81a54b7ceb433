package io.aurum.offload.benchmark;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limit: {@code redis-benchmark -t lpush,rpop -n 200000 -c 50 -P 1} on the same Redis, as the peers'
 * {@code redis} driver runs it (one list key, 3-byte values).
 */
final class RedisBenchmark {

    static final int CLIENTS = 50;
    private static final Pattern RESULT = Pattern.compile(
            "^\\s*(\\w+): ([\\d.]+) requests per second(?:, p50=([\\d.]+) msec)?");

    private RedisBenchmark() {
    }

    /** Operations per second by lower-case test name ({@code lpush}, {@code rpop}). */
    static Map<String, Double> run(int redisPort, int requests) {
        String out = ChildProcesses.output(List.of("redis-benchmark", "-h", "127.0.0.1", "-p",
                Integer.toString(redisPort), "-q", "-t", "lpush,rpop", "-n", Integer.toString(requests),
                "-c", Integer.toString(CLIENTS), "-P", "1"), Duration.ofMinutes(5));
        return parse(out);
    }

    static Map<String, Double> parse(String out) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String line : out.split("[\r\n]")) {
            Matcher m = RESULT.matcher(line);
            if (m.find()) {
                rates.put(m.group(1).toLowerCase(Locale.ROOT), Double.parseDouble(m.group(2)));
            }
        }
        return rates;
    }
}

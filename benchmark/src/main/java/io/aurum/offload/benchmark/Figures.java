package io.aurum.offload.benchmark;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Prints one line per figure in the peers' format and remembers the values, so ratios can be taken at the end:
 * {@code peer=aurum metric=<m> value=<v> n=<n> concurrency=<c> run=<r> [k=v ...]}.
 */
final class Figures {

    static final String PEER = "aurum";

    private final PrintStream out;
    private final String run;
    private final Map<String, Double> values = new LinkedHashMap<>();

    Figures(PrintStream out, String run) {
        this.out = out;
        this.run = run;
    }

    void emit(String metric, double value, Object n, Object concurrency, Map<String, ?> extra) {
        values.put(metric, value);
        String details = extra.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining());
        out.println("peer=" + PEER + " metric=" + metric + " value=" + format(value) + " n=" + n
                + " concurrency=" + concurrency + " run=" + run + details);
        out.flush();
    }

    void emit(String metric, double value, Object n, Object concurrency) {
        emit(metric, value, n, concurrency, Map.of());
    }

    OptionalDouble value(String metric) {
        Double value = values.get(metric);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Prints {@code name} = {@code metric} / {@code limit} when both were measured and the limit is not zero. */
    void ratio(String name, String metric, String limit) {
        OptionalDouble top = value(metric);
        OptionalDouble bottom = value(limit);
        if (top.isPresent() && bottom.isPresent() && bottom.getAsDouble() > 0) {
            emit(name, top.getAsDouble() / bottom.getAsDouble(), "-", "-", Map.of("of", metric, "to", limit));
        }
    }

    /** As the peers print numbers: three decimals below 100, one above. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        return String.format(Locale.ROOT, value < 100 ? "%.3f" : "%.1f", value);
    }

    /** A note for the log, never parsed as a figure. */
    static void note(String message) {
        System.err.println("# " + message);
        System.err.flush();
    }
}

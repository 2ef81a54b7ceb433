package io.aurum.offload.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One figure line of a results file: {@code peer=<p> metric=<m> value=<v> n=<n> concurrency=<c> run=<r> [k=v ...]}.
 *
 * @param details the {@code k=v} pairs after {@code run}, in order
 */
record ResultLine(String peer, String metric, double value, String n, String concurrency, String run,
        Map<String, String> details) {

    /** Detail keys that make a figure a different row, as the harness's summarize.py has them. */
    static final String[] VARIANT_KEYS = {"uvicorn_workers", "pipeline"};

    /** The line as a figure, or empty for notes ({@code #}) and anything else. */
    static Optional<ResultLine> parse(String line) {
        if (!line.startsWith("peer=")) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        String peer = fields.remove("peer");
        String metric = fields.remove("metric");
        String value = fields.remove("value");
        if (peer == null || metric == null || value == null) {
            return Optional.empty();
        }
        return Optional.of(new ResultLine(peer, metric, number(value), fields.remove("n"),
                fields.remove("concurrency"), fields.getOrDefault("run", "1"), without(fields, "run")));
    }

    /** {@code peer} plus its variant, e.g. {@code fastapi_celery uvicorn_workers=1}. */
    String series() {
        StringBuilder series = new StringBuilder(peer);
        for (String key : VARIANT_KEYS) {
            if (details.containsKey(key)) {
                series.append(' ').append(key).append('=').append(details.get(key));
            }
        }
        return series.toString();
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Map<String, String> without(Map<String, String> fields, String key) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.remove(key);
        return copy;
    }
}

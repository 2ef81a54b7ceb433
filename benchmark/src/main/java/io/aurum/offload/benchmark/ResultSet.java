package io.aurum.offload.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/** The figures of one results file; a figure measured in several passes counts as the median of its values. */
final class ResultSet {

    private final List<ResultLine> lines;

    ResultSet(List<ResultLine> lines) {
        this.lines = List.copyOf(lines);
    }

    static ResultSet parse(List<String> text) {
        return new ResultSet(text.stream().flatMap(line -> ResultLine.parse(line).stream()).toList());
    }

    List<ResultLine> lines() {
        return lines;
    }

    /** Median over passes of {@code metric} for {@code series} (a peer, or a peer and its variant). */
    OptionalDouble value(String series, String metric) {
        List<Double> values = new ArrayList<>();
        for (ResultLine line : lines) {
            if (line.series().equals(series) && line.metric().equals(metric) && !Double.isNaN(line.value())) {
                values.add(line.value());
            }
        }
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        values.sort(Double::compare);
        int mid = values.size() / 2;
        double median = values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
        return OptionalDouble.of(median);
    }

    /** A detail of the last line of {@code metric} for {@code series}, parsed as a number. */
    OptionalDouble detail(String series, String metric, String key) {
        OptionalDouble found = OptionalDouble.empty();
        for (ResultLine line : lines) {
            if (line.series().equals(series) && line.metric().equals(metric) && line.details().containsKey(key)) {
                try {
                    found = OptionalDouble.of(Double.parseDouble(line.details().get(key)));
                } catch (NumberFormatException e) {
                    found = OptionalDouble.empty();
                }
            }
        }
        return found;
    }

    /** Every series that has {@code metric}, in the order they first appear. */
    Set<String> seriesWith(String metric) {
        Set<String> series = new LinkedHashSet<>();
        lines.stream().filter(line -> line.metric().equals(metric)).forEach(line -> series.add(line.series()));
        return series;
    }
}

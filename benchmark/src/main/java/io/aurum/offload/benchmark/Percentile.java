package io.aurum.offload.benchmark;

import java.util.List;

/** Nearest-rank percentiles, as the peers' drivers compute theirs. */
final class Percentile {

    private Percentile() {
    }

    /** The {@code p}th percentile (0 to 100) of {@code samples}, or NaN when there are none. */
    static double of(List<Double> samples, double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident memory of a process as the kernel reports it ({@code VmRSS} in {@code /proc/<pid>/status}), and a
 * sampler that keeps the highest value seen while a load runs.
 */
final class ResidentMemory implements AutoCloseable {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);

    private final long pid;
    private final AtomicLong peakKib = new AtomicLong();
    private final Thread sampler;
    private volatile boolean sampling = true;

    private ResidentMemory(long pid) {
        this.pid = pid;
        this.sampler = Thread.ofPlatform().daemon().name("rss-" + pid).start(this::sample);
    }

    /** Starts sampling {@code pid} until {@link #close()}. */
    static ResidentMemory sample(long pid) {
        return new ResidentMemory(pid);
    }

    /** Current VmRSS in KiB, or 0 when the process is gone. */
    static long kib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The highest of a few samples over about a second, for a process at rest. */
    static double idleMib(long pid) {
        long max = 0;
        for (int i = 0; i < 5; i++) {
            max = Math.max(max, kib(pid));
            ChildProcesses.pause(Duration.ofMillis(200));
        }
        return max / 1024.0;
    }

    double peakMib() {
        return peakKib.get() / 1024.0;
    }

    private void sample() {
        while (sampling) {
            peakKib.accumulateAndGet(kib(pid), Math::max);
            try {
                Thread.sleep(SAMPLE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        sampling = false;
        sampler.interrupt();
        peakKib.accumulateAndGet(kib(pid), Math::max);
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the figures were measured on, as the kernel and the tools report it. */
final class Machine {

    private Machine() {
    }

    static Map<String, String> describe() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPUs (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("CPU model", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("memory", memory());
        machine.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
        machine.put("OS", firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", ""));
        machine.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        machine.put("Redis", tool(List.of("redis-server", "--version")));
        machine.put("wrk", tool(List.of("dpkg-query", "-W", "-f=${Version}", "wrk")));
        return machine;
    }

    private static String memory() {
        String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        try {
            long kib = Long.parseLong(total.replaceAll("\\D", ""));
            return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return total;
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                int separator = line.indexOf(line.contains(":") ? ':' : '=');
                if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
                    return line.substring(separator + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String tool(List<String> command) {
        try {
            return ChildProcesses.output(command, Duration.ofSeconds(10)).trim();
        } catch (IllegalStateException e) {
            return "unknown";
        }
    }
}

package io.aurum.offload.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's entry point, run by scripts/bench.sh.
 *
 * <pre>
 * Bench drive                          measure, one line per figure on stdout (settings from the environment)
 * Bench report RESULTS.txt OUT STAMP   targets table, figures and chart into OUT/STAMP.md and OUT/STAMP.png
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length == 0 ? "drive" : args[0];
        try {
            switch (mode) {
                case "drive" -> drive();
                case "report" -> {
                    if (args.length != 4) {
                        usage();
                    }
                    Report.write(Path.of(args[1]), Path.of(args[2]), args[3], System.getenv());
                }
                default -> usage();
            }
        } catch (RuntimeException e) {
            // The one catch of the program: say what failed; the shutdown hook stops whatever was started.
            System.err.println("# benchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        // Threads of Vert.x or of the HTTP client must not keep the JVM alive once the figures are out.
        System.exit(0);
    }

    private static void drive() throws IOException {
        BenchSettings settings = BenchSettings.fromEnvironment(System.getenv());
        Files.createDirectories(settings.logDir());
        Path workDir = Files.createDirectories(settings.logDir().resolve("aurum-work.run" + settings.run()));
        Figures figures = new Figures(System.out, settings.run());
        try (RedisProbe redis = new RedisProbe(settings)) {
            new Driver(settings, figures, redis, workDir).run();
        }
    }

    private static void usage() {
        System.err.println("usage: Bench [drive] | Bench report RESULTS.txt OUT_DIR STAMP");
        System.exit(2);
    }
}

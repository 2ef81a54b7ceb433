package io.aurum.offload.benchmark;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the commands of a MONITOR capture that the services sent, per database.
 *
 * <p>A line tagged with a client address is one command sent over the network; a line tagged {@code lua} is a
 * command a script ran inside Redis. Counted are the lines between the benchmark's own first and last
 * {@code INFO} (its command-statistics snapshots, which frame each sample); the benchmark's own commands are left
 * out by their client addresses. Commands a client pipelines still show as one line each, so for a pipelining
 * client the round-trip count is an upper bound. A new connection's handshake ({@code HELLO}, {@code SELECT},
 * {@code CLIENT ...}, {@code AUTH}) belongs to the connection, not to a task: it is counted apart.
 *
 * @param roundTrips client lines per database, handshakes left out
 * @param scriptCommands lua lines per database
 * @param byCommand client lines per command name (lower case), handshakes left out
 * @param connectionSetup handshake lines of connections opened during the sample
 * @param excludedAtStartup lines left out before the first take ({@link #of} with {@code fromFirstTake})
 */
record MonitorTally(Map<Integer, Long> roundTrips, Map<Integer, Long> scriptCommands, Map<String, Long> byCommand,
        long connectionSetup, long excludedAtStartup) {

    private static final Pattern LINE = Pattern.compile("^\\d+\\.\\d+ \\[(\\d+) (\\S+)] \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> TAKES = List.of("blmove", "lmove", "brpoplpush", "rpoplpush");
    private static final List<String> HANDSHAKE = List.of("hello", "select", "client", "auth");

    /**
     * @param own the benchmark's client addresses
     * @param fromFirstTake leave out the services' lines before their first take from a queue (a worker's start)
     */
    static MonitorTally of(List<String> lines, Collection<String> own, boolean fromFirstTake) {
        Map<Integer, Long> roundTrips = new TreeMap<>();
        Map<Integer, Long> scriptCommands = new TreeMap<>();
        Map<String, Long> byCommand = new TreeMap<>();
        long setup = 0;
        long excluded = 0;
        boolean inside = false;
        boolean taking = !fromFirstTake;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            int db = Integer.parseInt(m.group(1));
            String client = m.group(2);
            String command = m.group(3).toLowerCase(Locale.ROOT);
            if (own.contains(client)) {
                if (command.equals("info")) {
                    if (inside) {
                        break;
                    }
                    inside = true;
                }
                continue;
            }
            if (!inside) {
                continue;
            }
            boolean script = client.equals("lua");
            if (!taking && !script && TAKES.contains(command)) {
                taking = true;
            }
            if (!taking) {
                excluded++;
            } else if (!script && HANDSHAKE.contains(command)) {
                setup++;
            } else if (script) {
                scriptCommands.merge(db, 1L, Long::sum);
            } else {
                roundTrips.merge(db, 1L, Long::sum);
                byCommand.merge(command, 1L, Long::sum);
            }
        }
        return new MonitorTally(roundTrips, scriptCommands, byCommand, setup, excluded);
    }

    long totalRoundTrips() {
        return roundTrips.values().stream().mapToLong(Long::longValue).sum();
    }

    long totalScriptCommands() {
        return scriptCommands.values().stream().mapToLong(Long::longValue).sum();
    }
}

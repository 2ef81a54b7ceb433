package io.aurum.offload.benchmark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Redis's own command statistics ({@code INFO commandstats}). */
final class CommandStats {

    private static final Pattern CALLS = Pattern.compile("^cmdstat_\\S+?:calls=(\\d+)", Pattern.MULTILINE);

    private CommandStats() {
    }

    /** Calls summed over every command listed, commands run inside scripts included. */
    static long totalCalls(String info) {
        long total = 0;
        Matcher matcher = CALLS.matcher(info);
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }
}

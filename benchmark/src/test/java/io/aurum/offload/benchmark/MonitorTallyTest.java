package io.aurum.offload.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MonitorTallyTest {

    private static final String OWN = "127.0.0.1:40000";

    @Test
    void countsClientLinesAsRoundTripsAndLuaLinesAsScriptCommandsPerDatabase() {
        List<String> lines = List.of(
                "OK",
                "1.000001 [0 127.0.0.1:40000] \"info\" \"commandstats\"",
                "1.000002 [0 127.0.0.1:41000] \"evalsha\" \"abc\" \"2\" \"k1\" \"k2\"",
                "1.000003 [0 lua] \"lpush\" \"aurum:{q:default}:pending\" \"{\\\"id\\\":\\\"x\\\"}\"",
                "1.000004 [1 lua] \"hset\" \"aurum:{t:x}\" \"state\" \"PENDING\"",
                "1.000005 [1 127.0.0.1:42000] \"HSET\" \"aurum:{t:x}\" \"a\" \"b\"",
                "1.000006 [0 127.0.0.1:40000] \"llen\" \"aurum:{q:default}:pending\"",
                "1.000007 [0 127.0.0.1:40000] \"info\" \"commandstats\"");

        MonitorTally tally = MonitorTally.of(lines, List.of(OWN), false);

        assertThat(tally.roundTrips()).isEqualTo(Map.of(0, 1L, 1, 1L));
        assertThat(tally.scriptCommands()).isEqualTo(Map.of(0, 1L, 1, 1L));
        assertThat(tally.byCommand()).isEqualTo(Map.of("evalsha", 1L, "hset", 1L));
    }

    @Test
    void countsOnlyBetweenTheBenchmarksOwnInfoSnapshots() {
        List<String> lines = List.of(
                "1.1 [0 127.0.0.1:41000] \"blmove\" \"a\" \"b\" \"RIGHT\" \"LEFT\" \"1.0\"",
                "1.2 [0 127.0.0.1:40000] \"info\" \"commandstats\"",
                "1.3 [0 127.0.0.1:41000] \"evalsha\" \"abc\" \"0\"",
                "1.4 [0 127.0.0.1:40000] \"info\" \"commandstats\"",
                "1.5 [0 127.0.0.1:41000] \"evalsha\" \"abc\" \"0\"");

        MonitorTally tally = MonitorTally.of(lines, List.of(OWN), false);

        assertThat(tally.totalRoundTrips()).isEqualTo(1);
    }

    @Test
    void leavesOutAWorkersStartBeforeItsFirstTakeAndConnectionHandshakes() {
        List<String> lines = List.of(
                "1.1 [0 127.0.0.1:40000] \"info\" \"commandstats\"",
                "1.2 [0 127.0.0.1:41000] \"evalsha\" \"register\" \"0\"",
                "1.3 [0 lua] \"zadd\" \"aurum:{q:default}:workers\" \"1\" \"w\"",
                "1.4 [0 127.0.0.1:41000] \"blmove\" \"p\" \"a\" \"RIGHT\" \"LEFT\" \"1.0\"",
                "1.5 [0 127.0.0.1:41001] \"hello\" \"3\"",
                "1.6 [0 127.0.0.1:41001] \"select\" \"0\"",
                "1.7 [0 127.0.0.1:41001] \"evalsha\" \"record\" \"0\"",
                "1.8 [0 127.0.0.1:40000] \"info\" \"commandstats\"");

        MonitorTally tally = MonitorTally.of(lines, List.of(OWN), true);

        assertThat(tally.excludedAtStartup()).isEqualTo(2);
        assertThat(tally.connectionSetup()).isEqualTo(2);
        assertThat(tally.byCommand()).isEqualTo(Map.of("blmove", 1L, "evalsha", 1L));
    }
}

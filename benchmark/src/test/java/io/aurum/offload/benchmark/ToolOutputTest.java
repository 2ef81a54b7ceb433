package io.aurum.offload.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing what wrk, redis-benchmark and INFO print, from samples of their real output. */
class ToolOutputTest {

    private static final String WRK = """
            Running 20s test @ http://127.0.0.1:41921/v1/jobs/noop
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     9.87ms    5.12ms  88.65ms   80.12%
                Req/Sec     1.61k   210.33     2.01k    70.00%
              Latency Distribution
                 50%  812.00us
                 75%   11.20ms
                 90%   15.30ms
                 99%    1.20s
              64173 requests in 20.01s, 9.91MB read
              Socket errors: connect 0, read 0, write 0, timeout 3
              Non-2xx or 3xx responses: 12
            Requests/sec:   3207.11
            Transfer/sec:    507.23KB
            """;

    @Test
    void readsRateLatenciesInEveryUnitAndErrorsFromWrk() {
        Wrk.Result result = Wrk.parse(WRK);

        assertThat(result.requestsPerSecond()).isEqualTo(3207.11);
        assertThat(result.p50Ms()).isCloseTo(0.812, within(1e-9));
        assertThat(result.p99Ms()).isEqualTo(1200.0);
        assertThat(result.requests()).isEqualTo(64173);
        assertThat(result.non2xx()).isEqualTo(12);
        assertThat(result.socketErrors()).isEqualTo("connect0/read0/write0/timeout3");
    }

    @Test
    void readsEachTestOfRedisBenchmarkThroughItsProgressLines() {
        String out = "LPUSH: rps=12000.0 (overall: 11000.0) avg_msec=0.300\r"
                + "LPUSH: 88495.58 requests per second, p50=0.287 msec\n"
                + "RPOP: rps=0.0\rRPOP: 98087.31 requests per second, p50=0.263 msec\n";

        assertThat(RedisBenchmark.parse(out)).containsEntry("lpush", 88495.58).containsEntry("rpop", 98087.31)
                .hasSize(2);
    }

    @Test
    void sumsCallsOfEveryCommandIncludingSubcommands() {
        String info = """
                # Commandstats
                cmdstat_set:calls=3,usec=10,usec_per_call=3.33,rejected_calls=0,failed_calls=0
                cmdstat_client|info:calls=2,usec=25,usec_per_call=12.50,rejected_calls=0,failed_calls=0
                cmdstat_evalsha:calls=5,usec=86,usec_per_call=17.20,rejected_calls=1,failed_calls=0
                """;

        assertThat(CommandStats.totalCalls(info)).isEqualTo(10);
    }

    @Test
    void takesNearestRankPercentiles() {
        List<Double> samples = List.of(5.0, 1.0, 4.0, 2.0, 3.0);

        assertThat(Percentile.of(samples, 50)).isEqualTo(3.0);
        assertThat(Percentile.of(samples, 99)).isEqualTo(5.0);
        assertThat(Percentile.of(List.of(), 50)).isNaN();
    }
}

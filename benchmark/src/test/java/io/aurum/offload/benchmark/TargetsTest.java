package io.aurum.offload.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TargetsTest {

    private static final List<String> RUN = List.of(
            "# started 2026-12-03T16:36:13Z host=vm nproc=2",
            "peer=redis metric=lpush_ops_per_s value=88495.6 n=200000 concurrency=50 run=1 pipeline=1 clients=50",
            "peer=celery metric=drain_jobs_per_s value=1283.3 n=20000 concurrency=8 run=1 done=20000 status=ok",
            "peer=celery metric=rtt_p50_ms value=1.562 n=500 concurrency=8 run=1 failures=0",
            "peer=sidekiq metric=drain_jobs_per_s value=18770.1 n=20000 concurrency=8 run=1 done=20000",
            "peer=fastapi_celery metric=post_req_per_s value=2000.0 n=1 concurrency=32 run=1 uvicorn_workers=1",
            "peer=fastapi_celery metric=post_req_per_s value=4000.0 n=1 concurrency=32 run=1 uvicorn_workers=2",
            "peer=aurum metric=post_req_per_s value=24000.0 n=1 concurrency=32 run=1 non2xx=0",
            "peer=aurum metric=drain_jobs_per_s value=9000.0 n=50000 concurrency=8 run=1 drain_verified=50000",
            "peer=aurum metric=drain_jobs_per_s value=11000.0 n=50000 concurrency=8 run=2 drain_verified=50000",
            "peer=aurum metric=drain_jobs_per_s value=10000.0 n=50000 concurrency=8 run=3 drain_verified=50000",
            "peer=aurum metric=roundtrips_per_enqueue value=2.000 n=200 concurrency=1 run=1 db0=1.000 db1=1.000",
            "peer=aurum metric=roundtrips_per_status value=1.000 n=200 concurrency=1 run=1 db1=1.000",
            "peer=aurum metric=roundtrips_per_task_run value=3.400 n=200 concurrency=1 run=1 db0=2.000",
            "peer=aurum metric=e2e_p50_ms value=1.200 n=500 concurrency=8 run=1 failures=0");

    @Test
    void comparesOurFiguresWithThePeersOfTheSameRunAndSaysByHowMuchATargetIsMissed() {
        List<Targets.Row> rows = Targets.of(ResultSet.parse(RUN));

        assertThat(rows).extracting(Targets.Row::target, Targets.Row::verdict).containsExactly(
                tuple("HTTP enqueue req/s vs FastAPI+Celery, 1 uvicorn worker", "met"),
                tuple("HTTP enqueue req/s vs FastAPI+Celery, 2 uvicorn workers", "met"),
                tuple("worker drain jobs/s vs celery", "met"),
                tuple("worker drain jobs/s vs sidekiq", "missed: 0.53x, behind by 47%"),
                tuple("Redis round trips per enqueue, database 0 (per database touched)", "met"),
                tuple("Redis round trips per enqueue, database 1 (per database touched)", "met"),
                tuple("Redis round trips per status, database 1 (per database touched)", "met"),
                tuple("Redis round trips per task run (worker)", "missed: 3.400, 0.400 over"),
                tuple("end-to-end p50 ms (HTTP, long-poll) vs celery result.get() p50", "met"));
    }

    @Test
    void takesTheMedianOfAFigureMeasuredInSeveralPasses() {
        ResultSet results = ResultSet.parse(RUN);

        assertThat(results.value("aurum", "drain_jobs_per_s")).hasValue(10000.0);
        assertThat(results.value("fastapi_celery uvicorn_workers=2", "post_req_per_s")).hasValue(4000.0);
    }

    @Test
    void saysATargetIsNotMeasuredWhenThePeerIsMissingFromTheRun() {
        List<String> alone = List.of("peer=aurum metric=post_req_per_s value=24000.0 n=1 concurrency=32 run=1");

        Targets.Row first = Targets.of(ResultSet.parse(alone)).getFirst();

        assertThat(first.met()).isFalse();
        assertThat(first.verdict()).isEqualTo("not measured in this run");
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}

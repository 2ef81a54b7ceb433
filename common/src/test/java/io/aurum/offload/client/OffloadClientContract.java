package io.aurum.offload.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.task.CancelOutcome;
import io.aurum.offload.task.EnqueueOptions;
import io.aurum.offload.task.TaskIds;
import io.aurum.offload.task.TaskLookup;
import io.aurum.offload.task.TaskState;
import io.aurum.offload.task.TaskStatus;
import io.aurum.offload.testing.TestJobs;

/**
 * What every {@link OffloadClient} backend promises, with no worker running: subclasses give a client whose
 * registry holds {@link TestJobs}.
 */
public abstract class OffloadClientContract {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * A wait the tests never sit out: a read given it must answer within {@link #WAIT}, so it answered because the
     * task finished (or could not be seen), not because its time ran out.
     */
    protected static final Duration LONGER_THAN_WAIT = Duration.ofSeconds(60);

    /** Threads of its own for steps run while a read waits: the common pool may have a single thread here. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .factory());

    /** The backend under test; the same instance for every call of one test. */
    protected abstract OffloadClient client();

    @Test
    void givesEveryTaskAWellFormedIdOfItsOwn() {
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 50; i++) {
            ids.add(enqueue(TestJobs.ECHO, "acme"));
        }

        assertThat(ids).hasSize(50).allMatch(TaskIds::isWellFormed);
    }

    @Test
    void refusesAJobThatIsNotRegistered() {
        assertThatThrownBy(() -> client().runJobAsync("no_such_job", payload()).await().atMost(WAIT))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("no_such_job");
    }

    @Test
    void refusesAJobNameThatBreaksTheNamingRule() {
        assertThatThrownBy(() -> client().runJobAsync("../etc", payload()).await().atMost(WAIT))
                .isInstanceOf(UnknownJobException.class);
    }

    @Test
    void readsAFreshTaskAsPendingForItsTenant() {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskLookup lookup = fetch(id, "acme");

        assertThat(lookup).isInstanceOf(TaskLookup.Found.class);
        TaskStatus status = ((TaskLookup.Found) lookup).status();
        assertThat(status.taskId()).isEqualTo(id);
        assertThat(status.state()).isEqualTo(TaskState.PENDING);
        assertThat(status.job()).isEqualTo(TestJobs.ECHO);
        assertThat(status.queue()).isEqualTo("default");
        assertThat(status.createdAt()).isNotNull();
        assertThat(status.result()).isNull();
        assertThat(status.error()).isNull();
        assertThat(status.attempts()).isZero();
    }

    @Test
    void recordsTheQueueTheTaskWasPutOn() {
        String id = client().runJobAsync(TestJobs.ECHO, payload(), EnqueueOptions.forTenant("acme").onQueue("urgent"))
                .await().atMost(WAIT);

        TaskLookup lookup = fetch(id, "acme");

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().queue()).isEqualTo("urgent"));
    }

    @Test
    void hidesATaskFromAnotherTenant() {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskLookup lookup = fetch(id, "globex");

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(id));
    }

    @Test
    void hidesATenantsTaskFromACallerWithoutTenant() {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskLookup lookup = fetch(id, "");

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(id));
    }

    @Test
    void answersUnknownForAnIdThatNeverExisted() {
        enqueue(TestJobs.ECHO, "acme");
        String neverIssued = new TaskIds().next();

        TaskLookup lookup = fetch(neverIssued, "acme");

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(neverIssued));
    }

    @Test
    void answersUnknownForAMalformedId() {
        TaskLookup lookup = fetch("../../etc/passwd", "acme");

        assertThat(lookup).isInstanceOf(TaskLookup.Unknown.class);
    }

    @Test
    void showsAnyTenantsTaskToAnUnscopedRead() {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskLookup lookup = fetch(id, null);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING));
    }

    @Test
    void revokesATaskThatHasNotStarted() {
        String id = enqueue(TestJobs.ECHO, "acme");

        CancelOutcome outcome = cancel(id, "acme");

        assertThat(outcome).isInstanceOfSatisfying(CancelOutcome.Revoked.class,
                revoked -> assertThat(revoked.status().state()).isEqualTo(TaskState.REVOKED));
        TaskStatus status = ((TaskLookup.Found) fetch(id, "acme")).status();
        assertThat(status.state()).isEqualTo(TaskState.REVOKED);
        assertThat(status.finishedAt()).isNotNull();
        assertThat(status.attempts()).isZero();
    }

    @Test
    void answersAlreadyFinishedWhenCancellingAFinishedTask() {
        String id = enqueue(TestJobs.ECHO, "acme");
        cancel(id, "acme");

        CancelOutcome again = cancel(id, "acme");

        assertThat(again).isInstanceOfSatisfying(CancelOutcome.AlreadyFinished.class,
                finished -> assertThat(finished.status().state()).isEqualTo(TaskState.REVOKED));
    }

    @Test
    void answersUnknownWhenAnotherTenantCancelsAndLeavesTheTaskAlone() {
        String id = enqueue(TestJobs.ECHO, "acme");

        CancelOutcome outcome = cancel(id, "globex");

        assertThat(outcome).isEqualTo(new CancelOutcome.Unknown(id));
        assertThat(((TaskLookup.Found) fetch(id, "acme")).status().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void answersUnknownWhenCancellingAnIdThatNeverExisted() {
        String neverIssued = new TaskIds().next();

        CancelOutcome outcome = cancel(neverIssued, "acme");

        assertThat(outcome).isEqualTo(new CancelOutcome.Unknown(neverIssued));
    }

    @Test
    void showsTheNotBeforeOfADelayedTaskWhileItIsPending() {
        Instant notBefore = Instant.now().plusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS);

        String id = client().runJobAsync(TestJobs.ECHO, payload(),
                EnqueueOptions.forTenant("acme").notBefore(notBefore)).await().atMost(WAIT);

        TaskStatus status = ((TaskLookup.Found) fetch(id, "acme")).status();
        assertThat(status.state()).isEqualTo(TaskState.PENDING);
        assertThat(status.notBefore()).isEqualTo(notBefore);
    }

    @Test
    void answersAWaitingReadAsSoonAsTheTaskIsRevoked() {
        String id = enqueue(TestJobs.ECHO, "acme");
        CompletableFuture.runAsync(() -> cancel(id, "acme"), soon());

        TaskLookup lookup = client().fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.REVOKED));
    }

    @Test
    void answersWaitingAndLaterReadsAtOnceWhenWaitsEnd() {
        String id = enqueue(TestJobs.ECHO, "acme");
        CompletableFuture.runAsync(client()::endWaits, soon());

        TaskLookup waiting = client().fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);
        TaskLookup later = client().fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(List.of(waiting, later)).allSatisfy(lookup -> assertThat(lookup).isInstanceOfSatisfying(
                TaskLookup.Found.class, found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING)));
    }

    @Test
    void endsAWaitThatRunsOutWithTheTaskAsItIsAndNotBefore() {
        String id = enqueue(TestJobs.ECHO, "acme");

        long start = System.nanoTime();
        TaskLookup lookup = client().fetchJobResult(id, "acme", Duration.ofMillis(300)).await().atMost(WAIT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.PENDING));
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void answersAWaitingReadOfAFinishedTaskAtOnce() {
        String id = enqueue(TestJobs.ECHO, "acme");
        cancel(id, "acme");

        TaskLookup lookup = client().fetchJobResult(id, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isInstanceOfSatisfying(TaskLookup.Found.class,
                found -> assertThat(found.status().state()).isEqualTo(TaskState.REVOKED));
    }

    @Test
    void answersAWaitingReadOfAnotherTenantsTaskAtOnce() {
        String id = enqueue(TestJobs.ECHO, "acme");

        TaskLookup lookup = client().fetchJobResult(id, "globex", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(id));
    }

    @Test
    void answersAWaitingReadOfAnIdThatNeverExistedAtOnce() {
        String neverIssued = new TaskIds().next();

        TaskLookup lookup = client().fetchJobResult(neverIssued, "acme", LONGER_THAN_WAIT).await().atMost(WAIT);

        assertThat(lookup).isEqualTo(new TaskLookup.Unknown(neverIssued));
    }

    @Test
    void namesItsBackend() {
        assertThat(client().backendName()).isNotBlank();
    }

    protected String enqueue(String job, String tenant) {
        return client().runJobAsync(job, payload(), EnqueueOptions.forTenant(tenant)).await().atMost(WAIT);
    }

    protected CancelOutcome cancel(String id, String tenant) {
        return client().cancel(id, tenant).await().atMost(WAIT);
    }

    protected TaskLookup fetch(String id, String tenant) {
        return client().fetchJobResult(id, tenant).await().atMost(WAIT);
    }

    /** Runs a step 300 ms from now, while the test's read waits. */
    protected static Executor soon() {
        return CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS, THREADS);
    }

    protected static ObjectNode payload() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("n", 42);
        payload.put("text", "grüße, 世界");
        return payload;
    }
}

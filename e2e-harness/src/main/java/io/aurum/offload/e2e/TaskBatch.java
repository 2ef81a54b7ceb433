package io.aurum.offload.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ApiClient.TaskView;

/** Many tasks submitted and polled over HTTP with a fixed number of requests in flight. */
public final class TaskBatch {

    /** A job to submit. */
    public record Order(String job, String tenant, ObjectNode payload) {
    }

    private final ApiClient api;
    private final int inFlight;

    public TaskBatch(ApiClient api, int inFlight) {
        this.api = api;
        this.inFlight = inFlight;
    }

    /** Submits every order; each must be accepted (202 with a Location). Results keep the orders' order. */
    public List<Submitted> submit(List<Order> orders) {
        return inParallel(orders.stream().<Callable<Submitted>>map(
                order -> () -> api.submit(order.job(), order.tenant(), order.payload())).toList());
    }

    /** The current status of every task, by task id. */
    public Map<String, TaskView> look(List<Submitted> tasks) {
        List<TaskView> views = inParallel(tasks.stream().<Callable<TaskView>>map(task -> () -> api.status(task))
                .toList());
        Map<String, TaskView> byId = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            byId.put(tasks.get(i).taskId(), views.get(i));
        }
        return byId;
    }

    /**
     * Polls until every task is finished (200) or {@code timeout} passes, and returns the last answer for each.
     * Finished tasks are not asked again. Any answer other than 200 or 202 is kept as the task's answer and ends
     * its polling, so the caller sees it.
     */
    public Map<String, TaskView> awaitFinished(List<Submitted> tasks, Duration timeout) {
        Map<String, TaskView> last = new LinkedHashMap<>();
        List<Submitted> open = new ArrayList<>(tasks);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Map<String, TaskView> now = look(open);
            last.putAll(now);
            open.removeIf(task -> now.get(task.taskId()).status() != 202);
            if (!open.isEmpty()) {
                ServiceProcess.pause(Duration.ofMillis(200));
            }
        }
        return last;
    }

    /** Polls until at least {@code count} tasks match, or {@code timeout} passes; returns the last look. */
    public Map<String, TaskView> awaitAtLeast(List<Submitted> tasks, int count, Predicate<TaskView> match,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, TaskView> now = look(tasks);
        while (now.values().stream().filter(match).count() < count && System.nanoTime() < deadline) {
            ServiceProcess.pause(Duration.ofMillis(50));
            now = look(tasks);
        }
        return now;
    }

    private <T> List<T> inParallel(List<Callable<T>> calls) {
        try (ExecutorService pool = Executors.newFixedThreadPool(inFlight)) {
            List<Future<T>> futures = pool.invokeAll(calls);
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

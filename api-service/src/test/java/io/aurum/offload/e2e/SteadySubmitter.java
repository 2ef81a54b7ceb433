package io.aurum.offload.e2e;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.TaskBatch.Order;

/**
 * Clients that keep submitting while a test breaks things: each of {@code clients} threads posts its share of a
 * fixed list of orders, one at a time, {@code pause} apart, and keeps every answer. Bounded by the list.
 */
final class SteadySubmitter implements AutoCloseable {

    /** An enqueue the api did not accept, as the client saw it. */
    record Refusal(int status, String retryAfter, String contentType, String body) {
    }

    private final List<Submitted> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<Refusal> refused = Collections.synchronizedList(new ArrayList<>());
    private final List<String> transportErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;

    private SteadySubmitter() {
    }

    static SteadySubmitter start(ApiClient api, List<Order> orders, int clients, Duration pause) {
        SteadySubmitter submitter = new SteadySubmitter();
        for (int c = 0; c < clients; c++) {
            int client = c;
            List<Order> share = new ArrayList<>();
            for (int i = client; i < orders.size(); i += clients) {
                share.add(orders.get(i));
            }
            submitter.clients.add(Thread.ofPlatform().name("e2e-client-" + client).daemon()
                    .start(() -> submitter.submitAll(api, share, pause)));
        }
        return submitter;
    }

    private void submitAll(ApiClient api, List<Order> orders, Duration pause) {
        for (Order order : orders) {
            if (stopped) {
                return;
            }
            submitOne(api, order);
            ServiceProcess.pause(pause);
        }
    }

    private void submitOne(ApiClient api, Order order) {
        try {
            HttpResponse<String> response = api.post(order.job(), order.tenant(), order.payload());
            sent.incrementAndGet();
            if (response.statusCode() == 202) {
                accepted.add(ApiClient.accepted(response, order.tenant(), order.payload()));
            } else {
                refused.add(new Refusal(response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null),
                        response.headers().firstValue("Content-Type").orElse(null), response.body()));
            }
        } catch (UncheckedIOException e) {
            // The api itself never goes away in these tests, so this counts against it.
            sent.incrementAndGet();
            transportErrors.add(e.getMessage() + ": " + e.getCause());
        }
    }

    /** Waits until every client has sent its share; false if {@code atMost} passed first. */
    boolean awaitDone(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread client : clients) {
            long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                if (!client.join(Duration.ofMillis(leftMs))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    boolean isDone() {
        return clients.stream().noneMatch(Thread::isAlive);
    }

    int sent() {
        return sent.get();
    }

    List<Submitted> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    List<Refusal> refused() {
        synchronized (refused) {
            return List.copyOf(refused);
        }
    }

    List<String> transportErrors() {
        synchronized (transportErrors) {
            return List.copyOf(transportErrors);
        }
    }

    /** Refusals counted by HTTP status. */
    Map<Integer, Long> refusedByStatus() {
        return refused().stream().collect(Collectors.groupingBy(Refusal::status, Collectors.counting()));
    }

    @Override
    public void close() {
        stopped = true;
        awaitDone(Duration.ofSeconds(30));
    }
}

package dev.keycloakm2m.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import dev.keycloakm2m.testing.HttpResult;

/**
 * Token requests from many threads at once, recorded one outcome per request: which node and client, the phase of
 * the test when it was sent (e.g. before or after a node was killed), and the response or the transport failure.
 * Runs a fixed number of requests, or until {@link #stop()}; request {@code i} is built by the caller (node and
 * client alternate with {@code i}).
 */
final class Load implements AutoCloseable {

    /** What the caller sends as request {@code i}. */
    record Request(int node, String client, java.util.function.Supplier<HttpResult> send) {
    }

    /** One request: the response, or {@code failure} when there was none (connection refused or reset). */
    record Outcome(int index, int node, String client, String phase, HttpResult response, String failure) {
        boolean ok() {
            return response != null && response.status() == 200;
        }

        int status() {
            return response == null ? -1 : response.status();
        }

        @Override
        public String toString() {
            return "#" + index + " node" + node + " " + client + " [" + phase + "] "
                    + (response == null ? "no response: " + failure : response.status() + " " + response.body()
                    + response.header("X-RateLimit-Remaining").map(r -> " (X-RateLimit-Remaining " + r + ")").orElse(""));
        }
    }

    private final IntFunction<Request> requests;
    private final int limit;
    private final ExecutorService pool;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private volatile String phase = "start";
    private volatile boolean stopped;

    private Load(int threads, int limit, IntFunction<Request> requests) {
        this.requests = requests;
        this.limit = limit;
        this.pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) pool.submit(this::work);
    }

    /** {@code total} requests (Integer.MAX_VALUE: until stopped) from {@code threads} threads, starting now. */
    static Load start(int threads, int total, IntFunction<Request> requests) {
        return new Load(threads, total, requests);
    }

    private void work() {
        while (!stopped) {
            int i = next.getAndIncrement();
            if (i >= limit) return;
            Request r = requests.apply(i);
            String sentIn = phase;
            Outcome o;
            try {
                o = new Outcome(i, r.node(), r.client(), sentIn, r.send().get(), null);
            } catch (RuntimeException e) {
                o = new Outcome(i, r.node(), r.client(), sentIn, null, String.valueOf(e.getMessage()));
            }
            outcomes.add(o);
            done.incrementAndGet();
            if (o.response() == null) {
                sleep(20); // a dead node refuses at once: do not spin the CPU the live one needs
            }
        }
    }

    /** Requests sent from now on are recorded with this phase. */
    void phase(String name) {
        phase = name;
    }

    int completed() {
        return done.get();
    }

    /**
     * Generous ceiling of a wait for outcomes: a wait ends as soon as its condition holds, so only a failing test
     * waits this long; the machine may be slow (shared, one core busy with something else).
     */
    static final int CEILING_SECONDS = 1800;

    /** Waits until {@code n} requests completed in all, or fails after {@code seconds}. */
    void awaitCompleted(int n, int seconds) {
        awaitOutcomes(o -> true, n, seconds);
    }

    /** Waits until at least {@code n} recorded outcomes match, or fails after {@code seconds} (or when the load ran out). */
    void awaitOutcomes(Predicate<Outcome> match, int n, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (count(match) < n) {
            if (System.nanoTime() > deadline || (next.get() >= limit && done.get() >= limit)) {
                throw new AssertionError("only " + count(match) + " of " + n + " expected outcomes after " + done.get()
                        + " requests; latest: " + tail(5));
            }
            sleep(50);
        }
    }

    long count(Predicate<Outcome> match) {
        synchronized (outcomes) {
            return outcomes.stream().filter(match).count();
        }
    }

    /** Stops sending and waits for the requests in flight. */
    void stop() {
        stopped = true;
        finish();
    }

    /** Waits until every request ran (or the load was stopped) and returns all outcomes. */
    List<Outcome> finish() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CEILING_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("load did not finish within " + CEILING_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return outcomes();
    }

    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    private List<Outcome> tail(int n) {
        List<Outcome> all = outcomes();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    @Override
    public void close() {
        stopped = true;
        pool.shutdownNow();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.keycloakm2m.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.keycloakm2m.store.RateLimitPolicy;

/**
 * The token buckets of this node: one per client with a rate-limit policy (charged by every request that
 * authenticated as the client), and one per client and source address for failed client authentications (what
 * protects a secret from guessing without letting a guesser exhaust the client's own bucket). Nothing is written
 * anywhere: on a cluster of N nodes each node enforces {@code limit / N} per second with a bucket of
 * {@code burst / N} (at least 1), N being the current cluster membership, so the realm as a whole allows about
 * {@code limit} per second plus {@code burst} when a load balancer spreads the client's requests evenly.
 */
public final class RateLimiter {

    /** Retry-After of a client whose limit is 0 (blocked until the policy changes). */
    public static final long BLOCKED_RETRY_AFTER = 60;
    /** Failed-authentication buckets kept before idle ones are swept; beyond twice this, addresses are pooled. */
    static final int FAILURE_ENTRIES_SWEEP_AT = 10_000;
    static final int FAILURE_ENTRIES_MAX = 2 * FAILURE_ENTRIES_SWEEP_AT;
    /** Per-client buckets kept before idle ones are swept. */
    static final int CLIENT_ENTRIES_SWEEP_AT = 10_000;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    /** Key of the pooled failure bucket of a client once too many addresses are tracked. */
    static final String ANY_ADDRESS = "*";

    private final LongSupplier clock;
    private final IntSupplier clusterSize;
    private final Map<String, Entry> clients = new ConcurrentHashMap<>();
    private final Map<String, Entry> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> warnedAt = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param clock       monotonic nanoseconds ({@link System#nanoTime} on a server)
     * @param clusterSize current number of nodes sharing the realm's load (1 without a cluster)
     */
    public RateLimiter(LongSupplier clock, IntSupplier clusterSize) {
        this.clock = clock;
        this.clusterSize = clusterSize;
    }

    /** Which bucket answered. */
    public enum Kind { CLIENT, FAILED_AUTHENTICATION }

    /**
     * The outcome for one request. {@code allowed} false: over the limit (with action {@code log} the request is still
     * served). {@code remaining}: requests left, realm-wide estimate; {@code retryAfter}: whole seconds, at least 1.
     */
    public record Verdict(boolean allowed, RateLimitPolicy policy, Kind kind, long remaining, long retryAfter) {

        /** Refuse the request: over the limit and the policy blocks. */
        public boolean refuse() {
            return !allowed && policy.action() == RateLimitPolicy.Action.BLOCK;
        }
    }

    private record Params(int limit, int burst, int nodes) {
    }

    private static final class Entry {
        final Params params;
        final TokenBucket bucket;

        Entry(Params params, TokenBucket bucket) {
            this.params = params;
            this.bucket = bucket;
        }
    }

    /**
     * Before client authentication, for a request naming {@code clientId}: refused when the client's bucket is empty
     * or when the failed authentications of this client from this address used up theirs. Takes nothing.
     */
    public Verdict beforeAuthentication(String realmId, String clientId, String address, RateLimitPolicy policy) {
        long now = clock.getAsLong();
        if (policy.limit() == 0) return blocked(policy, Kind.CLIENT);
        Params params = params(policy);
        Entry client = clients.get(clientKey(realmId, clientId));
        if (client != null && client.params.equals(params) && !client.bucket.hasToken(now)) {
            return verdict(false, policy, Kind.CLIENT, client, now);
        }
        for (String key : new String[] {failureKey(realmId, clientId, address), failureKey(realmId, clientId, ANY_ADDRESS)}) {
            Entry failed = failures.get(key);
            if (failed != null && failed.params.equals(params) && !failed.bucket.hasToken(now)) {
                return verdict(false, policy, Kind.FAILED_AUTHENTICATION, failed, now);
            }
        }
        return null;
    }

    /** A request that authenticated as {@code clientId}: takes a token from the client's bucket. */
    public Verdict authenticated(String realmId, String clientId, RateLimitPolicy policy) {
        long now = clock.getAsLong();
        if (policy.limit() == 0) return blocked(policy, Kind.CLIENT);
        Entry e = entry(clients, clientKey(realmId, clientId), params(policy), now);
        boolean taken = e.bucket.tryTake(now);
        sweepIfLarge(now);
        return verdict(taken, policy, Kind.CLIENT, e, now);
    }

    /** A request naming {@code clientId} (an existing client) whose authentication failed, from {@code address}. */
    public Verdict authenticationFailed(String realmId, String clientId, String address, RateLimitPolicy policy) {
        long now = clock.getAsLong();
        if (policy.limit() == 0) return blocked(policy, Kind.FAILED_AUTHENTICATION);
        sweepIfLarge(now);
        String key = failureKey(realmId, clientId, address);
        if (!failures.containsKey(key) && failures.size() >= FAILURE_ENTRIES_MAX) {
            key = failureKey(realmId, clientId, ANY_ADDRESS); // a flood from very many addresses: pooled per client
        }
        Entry e = entry(failures, key, params(policy), now);
        boolean taken = e.bucket.tryTake(now);
        return verdict(taken, policy, Kind.FAILED_AUTHENTICATION, e, now);
    }

    /** Whether to log a warning about this client now: at most once a minute per client (and node). */
    public boolean shouldWarn(String realmId, String clientId) {
        long now = clock.getAsLong();
        AtomicLong last = warnedAt.computeIfAbsent(clientKey(realmId, clientId), k -> new AtomicLong(now - WARN_INTERVAL_NANOS));
        long previous = last.get();
        return now - previous >= WARN_INTERVAL_NANOS && last.compareAndSet(previous, now);
    }

    /** The realm is gone, or its policies changed: its buckets start over when next used. */
    public void forgetRealm(String realmId) {
        String prefix = realmId + '\u0000';
        clients.keySet().removeIf(k -> k.startsWith(prefix));
        failures.keySet().removeIf(k -> k.startsWith(prefix));
        warnedAt.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Number of buckets kept (tests, diagnostics). */
    int size() {
        return clients.size() + failures.size();
    }

    private Params params(RateLimitPolicy policy) {
        return new Params(policy.limit(), policy.effectiveBurst(), Math.max(1, clusterSize.getAsInt()));
    }

    private static Entry entry(Map<String, Entry> map, String key, Params params, long now) {
        Entry e = map.get(key);
        if (e != null && e.params.equals(params)) return e;
        // new client, or its policy (or the cluster size) changed: a fresh, full bucket with this node's share
        double perSecond = (double) params.limit / params.nodes;
        double capacity = Math.max(1d, (double) params.burst / params.nodes);
        return map.compute(key, (k, old) -> old != null && old.params.equals(params) ? old
                : new Entry(params, new TokenBucket(perSecond, capacity, now)));
    }

    private Verdict verdict(boolean allowed, RateLimitPolicy policy, Kind kind, Entry e, long now) {
        long remaining = (long) Math.floor(e.bucket.tokens(now) * e.params.nodes);
        remaining = Math.max(0, Math.min(remaining, e.params.burst));
        long retryAfter = allowed ? 1 : e.bucket.secondsUntilToken(now, BLOCKED_RETRY_AFTER);
        return new Verdict(allowed, policy, kind, remaining, retryAfter);
    }

    private static Verdict blocked(RateLimitPolicy policy, Kind kind) {
        return new Verdict(false, policy, kind, 0, BLOCKED_RETRY_AFTER);
    }

    /** Forgets full (idle) buckets once the maps grow, at most once a second: a full bucket is the same as none. */
    private void sweepIfLarge(long now) {
        if (failures.size() < FAILURE_ENTRIES_SWEEP_AT && clients.size() < CLIENT_ENTRIES_SWEEP_AT) return;
        long last = lastSweep.get();
        if (last != Long.MIN_VALUE && now - last < SWEEP_INTERVAL_NANOS) return;
        if (!lastSweep.compareAndSet(last, now)) return;
        failures.values().removeIf(e -> e.bucket.isFull(now));
        clients.values().removeIf(e -> e.bucket.isFull(now));
    }

    private static String clientKey(String realmId, String clientId) {
        return realmId + '\u0000' + clientId;
    }

    private static String failureKey(String realmId, String clientId, String address) {
        return realmId + '\u0000' + clientId + '\u0000' + (address == null ? ANY_ADDRESS : address);
    }
}

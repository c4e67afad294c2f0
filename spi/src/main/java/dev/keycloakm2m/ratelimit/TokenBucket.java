package dev.keycloakm2m.ratelimit;

/**
 * A token bucket: {@code capacity} tokens at most, refilled continuously at {@code perSecond} tokens per second
 * (Auth0: "refilled by millisecond"), full when created. Thread-safe; time is passed in (nanoseconds of a monotonic
 * clock) so that tests need no clock.
 */
final class TokenBucket {

    private static final double NANOS = 1_000_000_000d;

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long updatedAt;

    TokenBucket(double perSecond, double capacity, long now) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedAt = now;
    }

    /** Takes one token if there is one; returns whether it did. */
    synchronized boolean tryTake(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token is there now, without taking it. */
    synchronized boolean hasToken(long now) {
        refill(now);
        return tokens >= 1;
    }

    /** Tokens now (fractional). */
    synchronized double tokens(long now) {
        refill(now);
        return tokens;
    }

    /** Whether the bucket is full again (an idle client: its bucket can be forgotten). */
    synchronized boolean isFull(long now) {
        refill(now);
        return tokens >= capacity;
    }

    /** Whole seconds (at least 1) until one token is there; {@code fallback} when the bucket never refills. */
    synchronized long secondsUntilToken(long now, long fallback) {
        refill(now);
        if (perSecond <= 0 || capacity < 1) return fallback;
        double missing = 1 - tokens;
        if (missing <= 0) return 1;
        return Math.max(1, (long) Math.ceil(missing / perSecond));
    }

    private void refill(long now) {
        long elapsed = now - updatedAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed / NANOS * perSecond);
            updatedAt = now;
        }
    }

    double perSecond() {
        return perSecond;
    }

    double capacity() {
        return capacity;
    }
}

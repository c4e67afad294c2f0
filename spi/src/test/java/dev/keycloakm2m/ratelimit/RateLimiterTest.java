package dev.keycloakm2m.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.RateLimitPolicy.Action;

/** The token buckets with a hand-moved clock: no timing involved. */
class RateLimiterTest {

    static final long SECOND = 1_000_000_000L;
    static final String REALM = "realm-1";

    final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    final AtomicInteger nodes = new AtomicInteger(1);
    final RateLimiter limiter = new RateLimiter(clock::get, nodes::get);

    static RateLimitPolicy policy(String clientId, Action action, int limit, Integer burst) {
        return new RateLimitPolicy("p-" + clientId, clientId, action, limit, burst);
    }

    int served(String clientId, RateLimitPolicy policy, int requests) {
        int ok = 0;
        for (int i = 0; i < requests; i++) {
            if (limiter.beforeAuthentication(REALM, clientId, "10.0.0.1", policy) == null
                    && limiter.authenticated(REALM, clientId, policy).allowed()) ok++;
        }
        return ok;
    }

    @Test
    @DisplayName("5/s with the default burst: 5 at once, then one per 200 ms; Retry-After in whole seconds")
    void burstThenRefill() {
        RateLimitPolicy p = policy("svc", Action.BLOCK, 5, null);
        assertThat(served("svc", p, 8)).isEqualTo(5);
        RateLimiter.Verdict refused = limiter.beforeAuthentication(REALM, "svc", "10.0.0.1", p);
        assertThat(refused.refuse()).isTrue();
        assertThat(refused.kind()).isEqualTo(RateLimiter.Kind.CLIENT);
        assertThat(refused.retryAfter()).isEqualTo(1);
        assertThat(refused.remaining()).isZero();
        clock.addAndGet(SECOND / 5);
        assertThat(served("svc", p, 3)).isEqualTo(1);
        clock.addAndGet(10 * SECOND);
        assertThat(served("svc", p, 10)).isEqualTo(5);
    }

    @Test
    @DisplayName("limit 1, burst 3: three at once, the fourth waits a second; remaining counts down")
    void explicitBurst() {
        RateLimitPolicy p = policy("svc", Action.BLOCK, 1, 3);
        assertThat(limiter.authenticated(REALM, "svc", p).remaining()).isEqualTo(2);
        assertThat(limiter.authenticated(REALM, "svc", p).remaining()).isEqualTo(1);
        assertThat(limiter.authenticated(REALM, "svc", p).remaining()).isZero();
        RateLimiter.Verdict fourth = limiter.authenticated(REALM, "svc", p);
        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.retryAfter()).isEqualTo(1);
        clock.addAndGet(SECOND / 2);
        assertThat(limiter.authenticated(REALM, "svc", p).retryAfter()).isEqualTo(1);
    }

    @Test
    @DisplayName("limit 0 blocks every request, before authentication")
    void zeroBlocks() {
        RateLimitPolicy p = policy("svc", Action.BLOCK, 0, null);
        RateLimiter.Verdict v = limiter.beforeAuthentication(REALM, "svc", "10.0.0.1", p);
        assertThat(v.refuse()).isTrue();
        assertThat(v.retryAfter()).isEqualTo(RateLimiter.BLOCKED_RETRY_AFTER);
        assertThat(limiter.authenticated(REALM, "svc", p).allowed()).isFalse();
    }

    @Test
    @DisplayName("log: over the limit is reported, never refused; a warning at most once a minute")
    void logNeverRefuses() {
        RateLimitPolicy p = policy("svc", Action.LOG, 1, 1);
        assertThat(limiter.authenticated(REALM, "svc", p).allowed()).isTrue();
        RateLimiter.Verdict over = limiter.authenticated(REALM, "svc", p);
        assertThat(over.allowed()).isFalse();
        assertThat(over.refuse()).isFalse();
        assertThat(limiter.shouldWarn(REALM, "svc")).isTrue();
        assertThat(limiter.shouldWarn(REALM, "svc")).isFalse();
        clock.addAndGet(59 * SECOND);
        assertThat(limiter.shouldWarn(REALM, "svc")).isFalse();
        clock.addAndGet(SECOND);
        assertThat(limiter.shouldWarn(REALM, "svc")).isTrue();
    }

    @Test
    @DisplayName("failed authentications fill their own bucket per address: the guesser is refused, the client is not")
    void failuresDoNotStarveTheClient() {
        RateLimitPolicy p = policy("victim", Action.BLOCK, 2, 2);
        for (int i = 0; i < 10; i++) limiter.authenticationFailed(REALM, "victim", "10.6.6.6", p);
        RateLimiter.Verdict guesser = limiter.beforeAuthentication(REALM, "victim", "10.6.6.6", p);
        assertThat(guesser.refuse()).isTrue();
        assertThat(guesser.kind()).isEqualTo(RateLimiter.Kind.FAILED_AUTHENTICATION);
        assertThat(limiter.beforeAuthentication(REALM, "victim", "10.0.0.1", p)).isNull();
        assertThat(served("victim", p, 2)).isEqualTo(2);
    }

    @Test
    @DisplayName("another client and another realm have buckets of their own")
    void separateBuckets() {
        RateLimitPolicy p = policy(null, Action.BLOCK, 1, 1);
        assertThat(served("a", p, 3)).isEqualTo(1);
        assertThat(served("b", p, 3)).isEqualTo(1);
        assertThat(limiter.authenticated("realm-2", "a", p).allowed()).isTrue();
    }

    @Test
    @DisplayName("on two nodes each node allows half the limit and half the burst")
    void clusterShare() {
        nodes.set(2);
        RateLimitPolicy p = policy("svc", Action.BLOCK, 10, 10);
        assertThat(served("svc", p, 20)).isEqualTo(5);
        clock.addAndGet(SECOND);
        assertThat(served("svc", p, 20)).isEqualTo(5);
        RateLimitPolicy small = policy("tiny", Action.BLOCK, 1, 1);
        assertThat(served("tiny", small, 3)).as("a bucket holds at least one request").isEqualTo(1);
        clock.addAndGet(SECOND);
        assertThat(served("tiny", small, 3)).as("half a token after one second").isZero();
        clock.addAndGet(SECOND);
        assertThat(served("tiny", small, 3)).isEqualTo(1);
    }

    @Test
    @DisplayName("a changed policy starts a fresh bucket")
    void policyChange() {
        assertThat(served("svc", policy("svc", Action.BLOCK, 1, 1), 3)).isEqualTo(1);
        assertThat(served("svc", policy("svc", Action.BLOCK, 5, 5), 10)).isEqualTo(5);
    }

    @Test
    @DisplayName("idle buckets are forgotten once many are kept; a flood from many addresses is pooled per client")
    void bounded() {
        RateLimitPolicy p = policy("victim", Action.BLOCK, 1, 1);
        for (int i = 0; i < RateLimiter.FAILURE_ENTRIES_MAX + 100; i++) {
            limiter.authenticationFailed(REALM, "victim", "addr-" + i, p);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.FAILURE_ENTRIES_MAX + 1);
        assertThat(limiter.beforeAuthentication(REALM, "victim", "addr-new", p)).as("pooled bucket used up").isNotNull();
        clock.addAndGet(10 * SECOND);
        limiter.authenticationFailed(REALM, "victim", "one-more", p);
        assertThat(limiter.size()).as("full buckets swept").isLessThan(10);
    }
}

package dev.keycloakm2m.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.RateLimitPolicy;

class RateLimitHeadersTest {

    final RateLimitPolicy policy = new RateLimitPolicy("p", "svc", RateLimitPolicy.Action.BLOCK, 5, 10);

    @Test
    void auth0Style() {
        RateLimiter.Verdict ok = new RateLimiter.Verdict(true, policy, RateLimiter.Kind.CLIENT, 9, 1);
        assertThat(RateLimitHeaders.of(ok, ErrorStyle.AUTH0, false)).isEqualTo(Map.of("Auth0-RateLimit", "client;q=5;t=1;r=9"));
        RateLimiter.Verdict refused = new RateLimiter.Verdict(false, policy, RateLimiter.Kind.CLIENT, 0, 2);
        assertThat(RateLimitHeaders.of(refused, ErrorStyle.AUTH0, true))
                .isEqualTo(Map.of("Auth0-RateLimit", "client;q=5;t=1;r=0", "Retry-After", "2"));
    }

    @Test
    void rfcStyleMergedWithTheQuota() {
        RateLimiter.Verdict ok = new RateLimiter.Verdict(true, policy, RateLimiter.Kind.CLIENT, 3, 1);
        Map<String, String> h = RateLimitHeaders.of(ok, ErrorStyle.RFC, false);
        assertThat(h).isEqualTo(Map.of("RateLimit-Policy", "\"per_second\";q=5;w=1", "RateLimit", "\"per_second\";r=3;t=1"));
        assertThat(RateLimitHeaders.merge("RateLimit", h.get("RateLimit"), "\"per_hour\";r=7;t=3540"))
                .isEqualTo("\"per_second\";r=3;t=1, \"per_hour\";r=7;t=3540");
        assertThat(RateLimitHeaders.merge("X-RateLimit-Limit", null, "10")).isEqualTo("10");
        assertThat(RateLimitHeaders.merge("RateLimit", null, "\"per_hour\";r=7;t=3540")).isEqualTo("\"per_hour\";r=7;t=3540");
    }
}

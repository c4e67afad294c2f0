package dev.keycloakm2m.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.keycloakm2m.store.ErrorStyle;

/**
 * Response headers of a client under a blocking rate-limit policy: in the Auth0 style
 * {@code Auth0-RateLimit: client;q=<limit>;t=1;r=<remaining>}; in the RFC style the IETF fields
 * {@code RateLimit-Policy: "per_second";q=<limit>;w=1} and {@code RateLimit: "per_second";r=<remaining>;t=<seconds>},
 * which {@link #merge} puts in front of the token quota's items when both apply. {@code Retry-After} on 429.
 */
public final class RateLimitHeaders {

    public static final String AUTH0_RATE_LIMIT = "Auth0-RateLimit";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    public static final String RETRY_AFTER = "Retry-After";
    static final String ITEM = "per_second";

    private RateLimitHeaders() {
    }

    public static Map<String, String> of(RateLimiter.Verdict v, ErrorStyle style, boolean refused) {
        Map<String, String> h = new LinkedHashMap<>();
        int limit = v.policy().limit();
        long remaining = refused ? 0 : v.remaining();
        if (style == ErrorStyle.AUTH0) {
            h.put(AUTH0_RATE_LIMIT, "client;q=" + limit + ";t=1;r=" + remaining);
        } else {
            h.put(RATE_LIMIT_POLICY, "\"" + ITEM + "\";q=" + limit + ";w=1");
            h.put(RATE_LIMIT, "\"" + ITEM + "\";r=" + remaining + ";t=" + (refused ? v.retryAfter() : 1));
        }
        if (refused) h.put(RETRY_AFTER, String.valueOf(v.retryAfter()));
        return h;
    }

    /**
     * The value to send for {@code name} when the token quota also sets it: for the IETF list fields both lists
     * ({@code ours} first); otherwise the quota's value.
     */
    public static String merge(String name, String ours, String quotas) {
        if (ours == null) return quotas;
        if (name.equalsIgnoreCase(RATE_LIMIT) || name.equalsIgnoreCase(RATE_LIMIT_POLICY)) return ours + ", " + quotas;
        return quotas;
    }
}

package dev.keycloakm2m.quota;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.keycloakm2m.store.ErrorStyle;

/**
 * Response headers that tell a client where it stands: {@code X-RateLimit-*} for the tightest (or, on 429, the
 * exhausted) bucket, {@code Retry-After} on 429, and every configured bucket either in Auth0's
 * {@code Auth0-Client-Quota-Limit} format or in the IETF {@code RateLimit-Policy} / {@code RateLimit} fields
 * (draft-ietf-httpapi-ratelimit-headers, structured-field lists with quoted policy names).
 */
public final class QuotaHeaders {

    public static final String AUTH0_CLIENT_QUOTA_LIMIT = "Auth0-Client-Quota-Limit";

    private QuotaHeaders() {
    }

    public static Map<String, String> of(List<BucketState> states, ErrorStyle style, boolean refused) {
        Map<String, String> h = new LinkedHashMap<>();
        BucketState main = refused ? limiting(states) : tightest(states);
        h.put("X-RateLimit-Limit", String.valueOf(main.quota()));
        h.put("X-RateLimit-Remaining", String.valueOf(refused ? 0 : main.remaining()));
        h.put("X-RateLimit-Reset", String.valueOf(main.resetAt()));
        if (refused) {
            h.put("Retry-After", String.valueOf(main.resetIn()));
        }
        if (style == ErrorStyle.AUTH0) {
            h.put(AUTH0_CLIENT_QUOTA_LIMIT, states.stream()
                    .map(s -> "b=" + s.bucket().wire() + ";q=" + s.quota() + ";r=" + s.remaining() + ";t=" + s.resetIn())
                    .collect(Collectors.joining(",")));
        } else {
            h.put("RateLimit-Policy", states.stream()
                    .map(s -> "\"" + s.bucket().wire() + "\";q=" + s.quota() + ";w=" + s.bucket().seconds())
                    .collect(Collectors.joining(", ")));
            h.put("RateLimit", states.stream()
                    .map(s -> "\"" + s.bucket().wire() + "\";r=" + s.remaining() + ";t=" + s.resetIn())
                    .collect(Collectors.joining(", ")));
        }
        return h;
    }

    /** Fewest tokens left; on a tie the bucket that takes longer to reset. */
    static BucketState tightest(List<BucketState> states) {
        return states.stream().min(Comparator.comparingLong(BucketState::remaining)
                .thenComparing(Comparator.comparingLong(BucketState::resetAt).reversed())).orElseThrow();
    }

    /** Of the exhausted buckets, the one that resets last: only then may the client ask again. */
    static BucketState limiting(List<BucketState> states) {
        return states.stream().filter(BucketState::exhausted).max(Comparator.comparingLong(BucketState::resetAt))
                .orElseGet(() -> tightest(states));
    }
}

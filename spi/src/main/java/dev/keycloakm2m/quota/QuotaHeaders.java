package dev.keycloakm2m.quota;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keycloakm2m.store.ErrorStyle;

/**
 * Response headers that tell a client where it stands: {@code X-RateLimit-*} for the tightest (or, on 429, the
 * exhausted) bucket, {@code Retry-After} on 429, and every configured bucket either in Auth0's
 * {@code Auth0-Client-Quota-Limit} format or in the IETF {@code RateLimit-Policy} / {@code RateLimit} fields
 * (draft-ietf-httpapi-ratelimit-headers, structured-field lists with quoted policy names).
 */
public final class QuotaHeaders {

    public static final String AUTH0_CLIENT_QUOTA_LIMIT = "Auth0-Client-Quota-Limit";
    public static final String AUTH0_ORGANIZATION_QUOTA_LIMIT = "Auth0-Organization-Quota-Limit";
    /** RFC style: the organization's buckets as policies {@code "org_per_hour"} and {@code "org_per_day"}. */
    public static final String ORG_POLICY_PREFIX = "org_";

    private QuotaHeaders() {
    }

    public static Map<String, String> of(List<BucketState> states, ErrorStyle style, boolean refused) {
        return of(states, null, style, refused, false);
    }

    /**
     * The headers of a token counted against a client's quota ({@code clientStates}) and an organization's
     * ({@code orgStates}); either may be {@code null} (no quota applies). {@code X-RateLimit-*} name the tightest bucket
     * of both, or on 429 the refusing quota's bucket that resets last. Auth0 style: {@code Auth0-Client-Quota-Limit}
     * and {@code Auth0-Organization-Quota-Limit}; RFC style: the organization's buckets are further policies
     * ({@code "org_per_hour"}, {@code "org_per_day"}) in {@code RateLimit-Policy} and {@code RateLimit}.
     */
    public static Map<String, String> of(List<BucketState> clientStates, List<BucketState> orgStates, ErrorStyle style,
                                         boolean clientRefused, boolean orgRefused) {
        List<BucketState> client = clientStates == null ? List.of() : clientStates;
        List<BucketState> org = orgStates == null ? List.of() : orgStates;
        List<BucketState> all = new java.util.ArrayList<>(client);
        all.addAll(org);
        Map<String, String> h = new LinkedHashMap<>();
        if (all.isEmpty()) return h;
        boolean refused = clientRefused || orgRefused;
        BucketState main = clientRefused ? limiting(client) : orgRefused ? limiting(org) : tightest(all);
        h.put("X-RateLimit-Limit", String.valueOf(main.quota()));
        h.put("X-RateLimit-Remaining", String.valueOf(refused ? 0 : main.remaining()));
        h.put("X-RateLimit-Reset", String.valueOf(main.resetAt()));
        if (refused) {
            h.put("Retry-After", String.valueOf(main.resetIn()));
        }
        if (style == ErrorStyle.AUTH0) {
            if (!client.isEmpty()) h.put(AUTH0_CLIENT_QUOTA_LIMIT, auth0(client));
            if (!org.isEmpty()) h.put(AUTH0_ORGANIZATION_QUOTA_LIMIT, auth0(org));
        } else {
            h.put("RateLimit-Policy", Stream.concat(
                    client.stream().map(s -> "\"" + s.bucket().wire() + "\";q=" + s.quota() + ";w=" + s.bucket().seconds()),
                    org.stream().map(s -> "\"" + ORG_POLICY_PREFIX + s.bucket().wire() + "\";q=" + s.quota() + ";w=" + s.bucket().seconds()))
                    .collect(Collectors.joining(", ")));
            h.put("RateLimit", Stream.concat(
                    client.stream().map(s -> "\"" + s.bucket().wire() + "\";r=" + s.remaining() + ";t=" + s.resetIn()),
                    org.stream().map(s -> "\"" + ORG_POLICY_PREFIX + s.bucket().wire() + "\";r=" + s.remaining() + ";t=" + s.resetIn()))
                    .collect(Collectors.joining(", ")));
        }
        return h;
    }

    private static String auth0(List<BucketState> states) {
        return states.stream()
                .map(s -> "b=" + s.bucket().wire() + ";q=" + s.quota() + ";r=" + s.remaining() + ";t=" + s.resetIn())
                .collect(Collectors.joining(","));
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

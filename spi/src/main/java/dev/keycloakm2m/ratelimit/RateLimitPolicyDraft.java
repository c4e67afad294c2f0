package dev.keycloakm2m.ratelimit;

/**
 * A rate-limit policy as a write path received it, before validation ({@code null} = not given): Auth0's
 * {@code consumer_selector}, {@code action}, {@code limit}, our {@code burst}, and Auth0's {@code resource} and
 * {@code consumer} (which have one possible value here). Numbers as their decimal text.
 */
public record RateLimitPolicyDraft(String id, String consumerSelector, String action, String limit, String burst,
                                   String resource, String consumer) {
}

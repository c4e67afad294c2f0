package dev.keycloakm2m.store;

/**
 * A client_credentials token quota (Auth0: {@code token_quota.client_credentials}): at most {@code perHour} tokens
 * per UTC hour and {@code perDay} per UTC day ({@code null} = no limit for that bucket, at least one is set).
 * With {@code enforce=false} tokens are still issued and counted; only warnings happen.
 */
public record TokenQuota(Integer perHour, Integer perDay, boolean enforce) {

    public static final long MAX = Integer.MAX_VALUE;
}

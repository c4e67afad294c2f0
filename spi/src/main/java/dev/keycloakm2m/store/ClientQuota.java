package dev.keycloakm2m.store;

/** The quota configured for one client (a component of provider {@code m2m-token-quotas}). */
public record ClientQuota(String id, String clientId, TokenQuota quota) {
}

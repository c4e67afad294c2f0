package dev.keycloakm2m.store;

/** The token quota configured for one organization ({@code organizationId}: Keycloak's organization id). */
public record OrganizationQuota(String id, String organizationId, TokenQuota quota) {
}

package dev.keycloakm2m.admin;

import jakarta.ws.rs.Path;

/**
 * {@code /admin/realms/{realm}/m2m}: the M2M configuration of one realm in the shapes of Auth0's Management API.
 * Keycloak has authenticated the admin bearer token before this is reached; each operation checks view-realm or
 * manage-realm itself.
 */
public final class M2mAdminResource {

    /** Admin event resource types (Keycloak accepts custom ones). */
    static final String RESOURCE_SERVER_EVENT = "M2M_RESOURCE_SERVER";
    static final String CLIENT_GRANT_EVENT = "M2M_CLIENT_GRANT";
    static final String SETTINGS_EVENT = "M2M_SETTINGS";
    static final String TOKEN_QUOTA_EVENT = "M2M_TOKEN_QUOTA";
    static final String RATE_LIMIT_POLICY_EVENT = "M2M_RATE_LIMIT_POLICY";
    static final String ORGANIZATION_GRANT_EVENT = "M2M_ORGANIZATION_CLIENT_GRANT";

    static final String UNKNOWN_ENDPOINT = "Unknown M2M admin endpoint";

    private final AdminContext context;

    M2mAdminResource(AdminContext context) {
        this.context = context;
    }

    @Path("resource-servers")
    public ResourceServersResource resourceServers() {
        return new ResourceServersResource(context);
    }

    @Path("client-grants")
    public ClientGrantsResource clientGrants() {
        return new ClientGrantsResource(context);
    }

    @Path("settings")
    public SettingsResource settings() {
        return new SettingsResource(context);
    }

    @Path("clients")
    public ClientTokenQuotaResource clients() {
        return new ClientTokenQuotaResource(context);
    }

    @Path(RateLimitPoliciesResource.PATH)
    public RateLimitPoliciesResource rateLimitPolicies() {
        return new RateLimitPoliciesResource(context);
    }

    @Path("token-usage")
    public TokenUsageResource tokenUsage() {
        return new TokenUsageResource(context);
    }

    @Path("organizations")
    public OrganizationsResource organizations() {
        return new OrganizationsResource(context);
    }

    @Path(ImportResource.PATH)
    public ImportResource importTenant() {
        return new ImportResource(context);
    }

    @Path(ExportResource.PATH)
    public ExportResource export() {
        return new ExportResource(context);
    }

    /** Anything else under {@code /m2m}: 404 in the admin error format (instead of the framework's 405). */
    @Path("{unknown: .*}")
    public Object unknown() {
        throw unknownEndpoint();
    }

    static RuntimeException unknownEndpoint() {
        return AdminErrors.toResponse(AdminRequestException.notFound(UNKNOWN_ENDPOINT));
    }
}

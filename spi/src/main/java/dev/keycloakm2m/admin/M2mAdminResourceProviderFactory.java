package dev.keycloakm2m.admin;

import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

import dev.keycloakm2m.ExtensionInfo;
import dev.keycloakm2m.M2mBootstrap;
import dev.keycloakm2m.M2mProviderFactory;

/**
 * The M2M admin REST API, mounted by Keycloak at {@code /admin/realms/{realm}/m2m}: APIs, client grants and the
 * realm's settings in the shapes of Auth0's Management API, behind Keycloak's admin authentication.
 */
public final class M2mAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, M2mProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "m2m";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new M2mAdminResourceProvider();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** The extension's one wiring point: listeners, cluster messages, scheduled tasks ({@link M2mBootstrap}). */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        M2mBootstrap.start(factory);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo(Map.of("path", "/admin/realms/{realm}/" + PROVIDER_ID));
    }
}

package dev.keycloakm2m.admin;

import java.util.Map;
import java.util.Set;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

import dev.keycloakm2m.ExtensionInfo;
import dev.keycloakm2m.M2mBootstrap;
import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.metrics.M2mMetrics;

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

    /**
     * The extension's server options, {@code --spi-admin-realm-restapi-extension--m2m--<option>=<value>}:
     * {@value #METRICS_CLIENT_LABELS} ({@code true}; {@code false} drops per-client labels from the metrics).
     */
    static final String METRICS_CLIENT_LABELS = "metrics-client-labels";

    private boolean clientLabels = true;

    @Override
    public void init(Config.Scope config) {
        clientLabels = config.getBoolean(METRICS_CLIENT_LABELS, true);
        M2mMetrics.clientLabels(clientLabels);
        M2mMetrics.clock(KeycloakAdapter::now);
    }

    /** The extension's one wiring point: listeners, cluster messages, scheduled tasks ({@link M2mBootstrap}). */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        M2mBootstrap.start(factory);
    }

    /** {@link M2mBootstrap} opens sessions that need these in {@link #postInit}: Keycloak runs their postInit first. */
    @Override
    public Set<Class<? extends Provider>> dependsOn() {
        return KeycloakAdapter.startupDependencies();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo(Map.of("path", "/admin/realms/{realm}/" + PROVIDER_ID,
                METRICS_CLIENT_LABELS, String.valueOf(clientLabels)));
    }
}

package dev.keycloakm2m.legacy;

import java.util.List;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.RealmIndex;

/**
 * A realm's m2m data in the component format of realm files (the format {@link LegacyImport} reads), added to an
 * exported realm: {@code kc.sh export} then {@code kc.sh import} (or {@code POST /admin/realms}) round-trips it.
 */
public final class LegacyExport {

    private LegacyExport() {
    }

    /**
     * Adds every API, grant (with the ids of its organizations), client and organization quota, rate-limit policy and the settings of
     * {@code index} to the realm's {@code components}.
     */
    public static void addTo(RealmRepresentation rep, RealmIndex index) {
        MultivaluedHashMap<String, ComponentExportRepresentation> components = rep.getComponents();
        if (components == null) {
            components = new MultivaluedHashMap<>();
            rep.setComponents(components);
        }
        for (var api : index.apisInOrder()) {
            ComponentModel m = model(api.id());
            ApiComponent.write(api, m);
            components.add(Components.PAGE_TYPE, export(m, Components.API_PROVIDER_ID));
        }
        for (var grant : index.grantsInOrder()) {
            ComponentModel m = model(grant.id());
            GrantComponent.write(grant, index.organizationsOfGrant(grant.id()), m);
            components.add(Components.PAGE_TYPE, export(m, Components.GRANT_PROVIDER_ID));
        }
        for (var quota : index.quotas()) {
            ComponentModel m = model(quota.id());
            QuotaComponent.write(quota, m);
            components.add(Components.PAGE_TYPE, export(m, Components.QUOTA_PROVIDER_ID));
        }
        for (var policy : index.rateLimitPoliciesInOrder()) {
            ComponentModel m = model(policy.id());
            RateLimitPolicyComponent.write(policy, m);
            components.add(Components.PAGE_TYPE, export(m, Components.RATE_LIMIT_PROVIDER_ID));
        }
        for (var quota : index.organizationQuotas()) {
            ComponentModel m = model(quota.id());
            QuotaComponent.write(quota, m);
            components.add(Components.PAGE_TYPE, export(m, Components.QUOTA_PROVIDER_ID));
        }
        if (!index.settings().equals(M2mSettings.DEFAULTS)) {
            ComponentModel m = model(null);
            SettingsComponent.write(index.settings(), m);
            components.add(Components.TAB_TYPE, export(m, Components.SETTINGS_PROVIDER_ID));
        }
    }

    private static ComponentModel model(String id) {
        ComponentModel m = new ComponentModel();
        m.setId(id);
        m.setConfig(new MultivaluedHashMap<>());
        return m;
    }

    private static ComponentExportRepresentation export(ComponentModel m, String providerId) {
        ComponentExportRepresentation c = new ComponentExportRepresentation();
        c.setId(m.getId());
        c.setName(m.getName());
        c.setProviderId(providerId);
        c.setSubComponents(new MultivaluedHashMap<>());
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        m.getConfig().forEach((k, v) -> config.put(k, List.copyOf(v)));
        c.setConfig(config);
        return c;
    }
}

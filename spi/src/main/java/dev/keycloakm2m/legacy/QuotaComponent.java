package dev.keycloakm2m.legacy;

import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.TokenQuota;

import java.util.Set;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;


/** A client's token quota stored as a realm component (provider {@value Components#QUOTA_PROVIDER_ID}). */
public final class QuotaComponent {

    public static final String CLIENT_ID = "client_id";
    public static final String PER_HOUR = "per_hour";
    public static final String PER_DAY = "per_day";
    public static final String ENFORCE = "enforce";
    /** Instead of {@link #CLIENT_ID}: the quota of this organization (id; on import also its alias). */
    public static final String ORGANIZATION = "organization";

    static final Set<String> KEYS = Set.of(CLIENT_ID, PER_HOUR, PER_DAY, ENFORCE, ORGANIZATION);

    private QuotaComponent() {
    }

    public static boolean is(ComponentModel model) {
        return Components.PAGE_TYPE.equals(model.getProviderType()) && Components.QUOTA_PROVIDER_ID.equals(model.getProviderId());
    }

    /** Whether the component is an organization's quota. */
    public static boolean isOrganization(ComponentModel model) {
        return Components.first(model, ORGANIZATION) != null;
    }

    /** An organization's quota. */
    public static void write(dev.keycloakm2m.store.OrganizationQuota quota, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName("organization " + quota.organizationId()));
        Components.put(model, ORGANIZATION, quota.organizationId());
        Components.put(model, PER_HOUR, quota.quota().perHour() == null ? null : String.valueOf(quota.quota().perHour()));
        Components.put(model, PER_DAY, quota.quota().perDay() == null ? null : String.valueOf(quota.quota().perDay()));
        Components.put(model, ENFORCE, String.valueOf(quota.quota().enforce()));
    }

    public static ClientQuotaDraft draft(ComponentModel model) {
        return new ClientQuotaDraft(model.getId(), Components.first(model, CLIENT_ID), Components.first(model, PER_HOUR),
                Components.first(model, PER_DAY), Components.first(model, ENFORCE));
    }

    public static void write(ClientQuota quota, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(quota.clientId()));
        Components.put(model, CLIENT_ID, quota.clientId());
        Components.put(model, PER_HOUR, quota.quota().perHour() == null ? null : String.valueOf(quota.quota().perHour()));
        Components.put(model, PER_DAY, quota.quota().perDay() == null ? null : String.valueOf(quota.quota().perDay()));
        Components.put(model, ENFORCE, String.valueOf(quota.quota().enforce()));
    }

    /** Writes a draft as received (before validation) into the component; the component write validates it. */
    public static void writeDraft(ClientQuotaDraft draft, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(draft.clientId()));
        Components.put(model, CLIENT_ID, draft.clientId());
        Components.put(model, PER_HOUR, draft.perHour());
        Components.put(model, PER_DAY, draft.perDay());
        Components.put(model, ENFORCE, draft.enforce());
    }

    public static ComponentModel newModel(String realmId) {
        ComponentModel model = new ComponentModel();
        model.setParentId(realmId);
        model.setProviderType(Components.PAGE_TYPE);
        model.setProviderId(Components.QUOTA_PROVIDER_ID);
        model.setConfig(new MultivaluedHashMap<>());
        return model;
    }

    public static ClientQuota read(ComponentModel model) {
        String clientId = Components.first(model, CLIENT_ID);
        Integer perHour = integer(Components.first(model, PER_HOUR));
        Integer perDay = integer(Components.first(model, PER_DAY));
        if (clientId == null || (perHour == null && perDay == null)) return null;
        return new ClientQuota(model.getId(), clientId, new TokenQuota(perHour, perDay, !"false".equals(Components.first(model, ENFORCE))));
    }

    static Integer integer(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

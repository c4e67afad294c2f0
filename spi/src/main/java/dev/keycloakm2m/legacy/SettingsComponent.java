package dev.keycloakm2m.legacy;

import dev.keycloakm2m.settings.M2mSettingsDraft;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;

import java.util.Set;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

import dev.keycloakm2m.store.TokenQuota;

/** The realm settings, stored as the one realm-settings tab component ({@value Components#SETTINGS_PROVIDER_ID}). */
public final class SettingsComponent {

    public static final String DEFAULT_AUDIENCE = "default_audience";
    public static final String ERROR_STYLE = "error_style";
    public static final String DEFAULT_PER_HOUR = "default_per_hour";
    public static final String DEFAULT_PER_DAY = "default_per_day";
    public static final String DEFAULT_ENFORCE = "default_enforce";
    public static final String DEFAULT_ORG_PER_HOUR = "default_org_per_hour";
    public static final String DEFAULT_ORG_PER_DAY = "default_org_per_day";
    public static final String DEFAULT_ORG_ENFORCE = "default_org_enforce";
    public static final String ORGANIZATION_NAME = "allow_organization_name_in_authentication_api";

    static final Set<String> KEYS = Set.of(DEFAULT_AUDIENCE, ERROR_STYLE, DEFAULT_PER_HOUR, DEFAULT_PER_DAY, DEFAULT_ENFORCE,
            DEFAULT_ORG_PER_HOUR, DEFAULT_ORG_PER_DAY, DEFAULT_ORG_ENFORCE, ORGANIZATION_NAME);

    private SettingsComponent() {
    }

    public static boolean is(ComponentModel model) {
        return Components.TAB_TYPE.equals(model.getProviderType()) && Components.SETTINGS_PROVIDER_ID.equals(model.getProviderId());
    }

    public static M2mSettingsDraft draft(ComponentModel model) {
        return new M2mSettingsDraft(Components.first(model, DEFAULT_AUDIENCE), Components.first(model, ERROR_STYLE),
                Components.first(model, DEFAULT_PER_HOUR), Components.first(model, DEFAULT_PER_DAY),
                Components.first(model, DEFAULT_ENFORCE), Components.first(model, DEFAULT_ORG_PER_HOUR),
                Components.first(model, DEFAULT_ORG_PER_DAY), Components.first(model, DEFAULT_ORG_ENFORCE),
                Components.first(model, ORGANIZATION_NAME));
    }

    public static void write(M2mSettings settings, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName("M2M settings");
        Components.put(model, DEFAULT_AUDIENCE, settings.defaultAudience());
        Components.put(model, ERROR_STYLE, settings.errorStyle().wire());
        TokenQuota q = settings.defaultQuota();
        Components.put(model, DEFAULT_PER_HOUR, q == null || q.perHour() == null ? null : String.valueOf(q.perHour()));
        Components.put(model, DEFAULT_PER_DAY, q == null || q.perDay() == null ? null : String.valueOf(q.perDay()));
        Components.put(model, DEFAULT_ENFORCE, q == null ? null : String.valueOf(q.enforce()));
        TokenQuota o = settings.defaultOrganizationQuota();
        Components.put(model, DEFAULT_ORG_PER_HOUR, o == null || o.perHour() == null ? null : String.valueOf(o.perHour()));
        Components.put(model, DEFAULT_ORG_PER_DAY, o == null || o.perDay() == null ? null : String.valueOf(o.perDay()));
        Components.put(model, DEFAULT_ORG_ENFORCE, o == null ? null : String.valueOf(o.enforce()));
        Components.put(model, ORGANIZATION_NAME, settings.organizationNameInToken() ? "true" : null);
    }

    /** Writes a draft as received (before validation) into the component; the component write validates it. */
    public static void writeDraft(M2mSettingsDraft draft, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName("M2M settings");
        Components.put(model, DEFAULT_AUDIENCE, draft.defaultAudience());
        Components.put(model, ERROR_STYLE, draft.errorStyle());
        Components.put(model, DEFAULT_PER_HOUR, draft.defaultPerHour());
        Components.put(model, DEFAULT_PER_DAY, draft.defaultPerDay());
        Components.put(model, DEFAULT_ENFORCE, draft.defaultEnforce());
        Components.put(model, DEFAULT_ORG_PER_HOUR, draft.defaultOrgPerHour());
        Components.put(model, DEFAULT_ORG_PER_DAY, draft.defaultOrgPerDay());
        Components.put(model, DEFAULT_ORG_ENFORCE, draft.defaultOrgEnforce());
        Components.put(model, ORGANIZATION_NAME, draft.organizationNameInToken());
    }

    public static ComponentModel newModel(String realmId) {
        ComponentModel model = new ComponentModel();
        model.setParentId(realmId);
        model.setProviderType(Components.TAB_TYPE);
        model.setProviderId(Components.SETTINGS_PROVIDER_ID);
        model.setConfig(new MultivaluedHashMap<>());
        return model;
    }

    public static M2mSettings read(ComponentModel model) {
        String audience = Components.first(model, DEFAULT_AUDIENCE);
        Integer perHour = integer(Components.first(model, DEFAULT_PER_HOUR));
        Integer perDay = integer(Components.first(model, DEFAULT_PER_DAY));
        TokenQuota quota = perHour == null && perDay == null ? null
                : new TokenQuota(perHour, perDay, !"false".equals(Components.first(model, DEFAULT_ENFORCE)));
        Integer orgPerHour = integer(Components.first(model, DEFAULT_ORG_PER_HOUR));
        Integer orgPerDay = integer(Components.first(model, DEFAULT_ORG_PER_DAY));
        TokenQuota orgQuota = orgPerHour == null && orgPerDay == null ? null
                : new TokenQuota(orgPerHour, orgPerDay, !"false".equals(Components.first(model, DEFAULT_ORG_ENFORCE)));
        return new M2mSettings(audience == null || audience.isBlank() ? null : audience,
                ErrorStyle.fromWire(Components.first(model, ERROR_STYLE)).orElse(ErrorStyle.RFC), quota, orgQuota,
                "true".equals(Components.first(model, ORGANIZATION_NAME)));
    }

    private static Integer integer(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

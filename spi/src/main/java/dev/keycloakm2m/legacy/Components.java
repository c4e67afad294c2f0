package dev.keycloakm2m.legacy;

import java.util.List;
import java.util.Set;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiTabProvider;

/** How our entities are stored: realm components, one per API / grant / quota, one tab component for settings. */
public final class Components {

    /** Console pages (APIs, client grants, token quotas) are components of this provider type. */
    public static final String PAGE_TYPE = UiPageProvider.class.getName();
    /** The realm-settings tab (M2M settings) is a component of this provider type. */
    public static final String TAB_TYPE = UiTabProvider.class.getName();

    public static final String API_PROVIDER_ID = "m2m-apis";
    public static final String GRANT_PROVIDER_ID = "m2m-client-grants";
    public static final String QUOTA_PROVIDER_ID = "m2m-token-quotas";
    public static final String SETTINGS_PROVIDER_ID = "m2m-settings";
    public static final String RATE_LIMIT_PROVIDER_ID = "m2m-rate-limit-policies";

    /** Realm attribute changed whenever our components change; the token path's index is keyed by it. */
    public static final String REVISION_ATTRIBUTE = "m2m.revision";

    /**
     * Config property type of derived, server-computed values (list columns such as an API's number of scopes).
     * The 26.7 console has no read-only form field (a property's readOnly flag is not sent to it), but it skips
     * properties of a type it has no editor for ({@code DynamicComponents}: "There is no editor registered"),
     * while its list page still takes such a property's label as column header.
     */
    public static final String DERIVED_TYPE = "m2m-derived";

    private Components() {
    }

    /** A derived value shown as a list column in the console, never as a form field. */
    public static ProviderConfigProperty derivedProperty(String name, String label, String helpText) {
        ProviderConfigProperty property = new ProviderConfigProperty(name, label, helpText, DERIVED_TYPE, null);
        property.setReadOnly(true);
        return property;
    }

    public static String first(ComponentModel model, String key) {
        return model.getConfig() == null ? null : model.getConfig().getFirst(key);
    }

    public static List<String> all(ComponentModel model, String key) {
        List<String> values = model.getConfig() == null ? null : model.getConfig().get(key);
        return values == null ? List.of() : values;
    }

    /** Drops config keys that are not ours (the console merges its route parameters into the config). */
    public static void retainKeys(ComponentModel model, Set<String> keys) {
        if (model.getConfig() == null) {
            model.setConfig(new MultivaluedHashMap<>());
            return;
        }
        model.getConfig().keySet().removeIf(k -> !keys.contains(k));
    }

    public static void put(ComponentModel model, String key, String value) {
        if (value == null) model.getConfig().remove(key);
        else model.getConfig().putSingle(key, value);
    }

    /** Keycloak's COMPONENT.NAME is 255 characters. */
    public static String componentName(String s) {
        if (s == null) return null;
        return s.length() <= 255 ? s : s.substring(0, 254) + "…";
    }
}

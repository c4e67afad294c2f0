package dev.keycloakm2m.legacy;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import dev.keycloakm2m.M2mProviderFactory;

/**
 * The component provider ids of 0.1.x ({@code m2m-apis}, {@code m2m-client-grants}, {@code m2m-token-quotas},
 * {@code m2m-settings}), kept only so that realm files in that format import: Keycloak refuses a component whose
 * provider id has no factory. They have no console page of their own; {@link LegacyImport} converts what a realm
 * import brought into the m2m tables once the realm is created. Outside a realm import they refuse new components.
 */
public final class LegacyComponentFactories {

    /** Session attribute: a realm of this id is being imported in this session. */
    static final String IMPORTING = "m2m.importing-realm:";

    private LegacyComponentFactories() {
    }

    private static void checkImporting(KeycloakSession session, RealmModel realm) {
        if (session.getAttribute(IMPORTING + realm.getId()) == null) {
            // Keycloak formats the message with MessageFormat: pass it as a parameter so its braces survive
            throw new ComponentValidationException("{0}", "keycloak-m2m stores APIs, client grants, token quotas and settings in"
                    + " its own tables: use the admin API /admin/realms/{realm}/m2m (components of this type are only read from realm files)");
        }
    }

    /** Accepts a component only from a realm file being imported; it waits in {@link ImportedComponents}. */
    static void acceptImported(KeycloakSession session, RealmModel realm, ComponentModel model) {
        checkImporting(session, realm);
        ImportedComponents.take(session, realm, model);
    }

    /** Marks or unmarks a realm import in this session. */
    static void importing(KeycloakSession session, RealmModel realm, boolean importing) {
        if (importing) session.setAttribute(IMPORTING + realm.getId(), Boolean.TRUE);
        else session.removeAttribute(IMPORTING + realm.getId());
    }

    abstract static class Page implements UiPageProviderFactory<UiPageProvider>, M2mProviderFactory<UiPageProvider> {
        @Override
        public List<ProviderConfigProperty> getConfigProperties() {
            return List.of();
        }

        @Override
        public String getHelpText() {
            return "keycloak-m2m realm file format (converted on import)";
        }

        @Override
        public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
            acceptImported(session, realm, model);
        }
    }

    /** {@code m2m-apis}. */
    public static final class Apis extends Page {
        @Override
        public String getId() {
            return Components.API_PROVIDER_ID;
        }
    }

    /** {@code m2m-client-grants}. */
    public static final class Grants extends Page {
        @Override
        public String getId() {
            return Components.GRANT_PROVIDER_ID;
        }
    }

    /** {@code m2m-token-quotas}. */
    public static final class Quotas extends Page {
        @Override
        public String getId() {
            return Components.QUOTA_PROVIDER_ID;
        }
    }

    /** {@code m2m-rate-limit-policies}. */
    public static final class RateLimitPolicies extends Page {
        @Override
        public String getId() {
            return Components.RATE_LIMIT_PROVIDER_ID;
        }
    }

    /** {@code m2m-settings}. */
    public static final class Settings implements UiTabProviderFactory<UiTabProvider>, M2mProviderFactory<UiTabProvider> {
        @Override
        public String getId() {
            return Components.SETTINGS_PROVIDER_ID;
        }

        @Override
        public List<ProviderConfigProperty> getConfigProperties() {
            return List.of();
        }

        @Override
        public String getHelpText() {
            return "keycloak-m2m realm file format (converted on import)";
        }

        @Override
        public String getPath() {
            return "/:realm/realm-settings/:tab?";
        }

        @Override
        public Map<String, String> getParams() {
            return Map.of("tab", "m2m");
        }

        @Override
        public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
            acceptImported(session, realm, model);
        }
    }
}

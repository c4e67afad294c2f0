package dev.keycloakm2m.settings;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.store.M2mLifecycle;

/** The realm settings of the extension: one component per realm, the "M2M" tab of Realm settings. */
public final class M2mSettingsTabProviderFactory implements UiTabProviderFactory<UiTabProvider>, M2mProviderFactory<UiTabProvider> {

    public static final String PROVIDER_ID = Components.SETTINGS_PROVIDER_ID;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(SettingsComponent.DEFAULT_AUDIENCE).label("m2m.settings.defaultAudience")
            .helpText("m2m.settings.defaultAudience.help").type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(SettingsComponent.ERROR_STYLE).label("m2m.settings.errorStyle")
            .helpText("m2m.settings.errorStyle.help").type(ProviderConfigProperty.LIST_TYPE)
            .options(java.util.Arrays.stream(ErrorStyle.values()).map(ErrorStyle::wire).toList())
            .defaultValue(ErrorStyle.RFC.wire()).add()
            .property().name(SettingsComponent.DEFAULT_PER_HOUR).label("m2m.settings.defaultPerHour")
            .helpText("m2m.settings.defaultPerHour.help").type(ProviderConfigProperty.INTEGER_TYPE).add()
            .property().name(SettingsComponent.DEFAULT_PER_DAY).label("m2m.settings.defaultPerDay")
            .helpText("m2m.settings.defaultPerDay.help").type(ProviderConfigProperty.INTEGER_TYPE).add()
            .property().name(SettingsComponent.DEFAULT_ENFORCE).label("m2m.settings.defaultEnforce")
            .helpText("m2m.settings.defaultEnforce.help").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
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
    public String getHelpText() {
        return "m2m-settings.help";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        M2mLifecycle.validateSettings(session, realm, model);
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.settingsChanged(session, realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        M2mLifecycle.settingsChanged(session, realm, newModel);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.settingsRemoving(session, realm);
    }
}

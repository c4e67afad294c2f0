package dev.keycloakm2m.grant;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.store.M2mLifecycle;

/** Client grants: one realm component each, the console's "Client grants" page. */
public final class ClientGrantPageProviderFactory implements UiPageProviderFactory<UiPageProvider>, M2mProviderFactory<UiPageProvider> {

    public static final String PROVIDER_ID = Components.GRANT_PROVIDER_ID;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(GrantComponent.CLIENT_ID).label("m2m.grant.client").helpText("m2m.grant.client.help")
            .type(ProviderConfigProperty.CLIENT_LIST_TYPE).required(true).add()
            .property().name(GrantComponent.AUDIENCE).label("m2m.grant.audience").helpText("m2m.grant.audience.help")
            .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
            .property().name(GrantComponent.SCOPE).label("m2m.grant.scope").helpText("m2m.grant.scope.help")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(GrantComponent.ALLOW_ALL_SCOPES).label("m2m.grant.allowAllScopes").helpText("m2m.grant.allowAllScopes.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
            .build();

    static {
        PROPERTIES.add(Components.derivedProperty(GrantComponent.SCOPE_LIST, "m2m.grant.scopeList", "m2m.grant.scopeList.help"));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "m2m-client-grants.help";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(GrantComponent.CLIENT_ID, GrantComponent.AUDIENCE, GrantComponent.SCOPE_LIST,
                GrantComponent.ALLOW_ALL_SCOPES));
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        M2mLifecycle.validateGrant(session, realm, model);
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.grantCreated(session, realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        M2mLifecycle.grantChanged(session, realm);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.grantRemoving(session, realm, model);
    }
}

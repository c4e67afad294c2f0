package dev.keycloakm2m.api;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.store.M2mLifecycle;

/**
 * APIs (resource servers): one realm component each, shown by the admin console as the "APIs" page (declarative
 * UI). Validation and cascades run here for every write path: console, admin REST, realm import.
 */
public final class ApiPageProviderFactory implements UiPageProviderFactory<UiPageProvider>, M2mProviderFactory<UiPageProvider> {

    public static final String PROVIDER_ID = Components.API_PROVIDER_ID;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ApiComponent.NAME).label("m2m.api.name").helpText("m2m.api.name.help")
            .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
            .property().name(ApiComponent.IDENTIFIER).label("m2m.api.identifier").helpText("m2m.api.identifier.help")
            .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
            .property().name(ApiComponent.SCOPES).label("m2m.api.scopes").helpText("m2m.api.scopes.help")
            .type(ProviderConfigProperty.MAP_TYPE).add()
            .property().name(ApiComponent.TOKEN_LIFETIME).label("m2m.api.tokenLifetime").helpText("m2m.api.tokenLifetime.help")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(ResourceServer.DEFAULT_TOKEN_LIFETIME)).add()
            .property().name(ApiComponent.SIGNING_ALG).label("m2m.api.signingAlg").helpText("m2m.api.signingAlg.help")
            .type(ProviderConfigProperty.LIST_TYPE).options(ResourceServerValidator.ASYMMETRIC_ALGORITHMS)
            .defaultValue(ResourceServer.DEFAULT_SIGNING_ALG).add()
            .property().name(ApiComponent.TOKEN_DIALECT).label("m2m.api.tokenDialect").helpText("m2m.api.tokenDialect.help")
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(java.util.Arrays.stream(TokenDialect.values()).map(TokenDialect::wire).toList())
            .defaultValue(TokenDialect.ACCESS_TOKEN.wire()).add()
            .property().name(ApiComponent.CLIENT_POLICY).label("m2m.api.clientPolicy").helpText("m2m.api.clientPolicy.help")
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(java.util.Arrays.stream(ClientPolicy.values()).map(ClientPolicy::wire).toList())
            .defaultValue(ClientPolicy.REQUIRE_CLIENT_GRANT.wire()).add()
            .build();

    static {
        PROPERTIES.add(Components.derivedProperty(ApiComponent.SCOPE_COUNT, "m2m.api.scopeCount", "m2m.api.scopeCount.help"));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "m2m-apis.help";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(ApiComponent.NAME, ApiComponent.IDENTIFIER, ApiComponent.SCOPE_COUNT));
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        M2mLifecycle.validateApi(session, realm, model);
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.apiCreated(session, realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        M2mLifecycle.apiUpdated(session, realm, newModel);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.apiRemoving(session, realm, model);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(M2mLifecycle::onEvent);
    }
}

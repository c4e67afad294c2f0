package dev.keycloakm2m.token;

import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;

import dev.keycloakm2m.ExtensionInfo;
import dev.keycloakm2m.M2mProviderFactory;

/**
 * Keycloak's access-token introspection, except that API tokens are reported exactly as issued: Keycloak would
 * otherwise re-apply the client's default scopes to the introspection response (adding {@code account} to
 * {@code aud}, role claims, ...).
 */
public final class M2mAccessTokenIntrospectionProviderFactory implements TokenIntrospectionProviderFactory, M2mProviderFactory<TokenIntrospectionProvider> {

    public static final String PROVIDER_ID = AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE;

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        return new M2mAccessTokenIntrospectionProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo(Map.of("replaces", AccessTokenIntrospectionProviderFactory.class.getName()));
    }
}

package dev.keycloakm2m.token;

import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

import dev.keycloakm2m.ExtensionInfo;
import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.kc.TokenHooks;

/**
 * Replaces Keycloak's built-in {@code client_credentials} grant with one that understands {@code audience} /
 * {@code resource}. Same provider id and shortcut as the built-in factory (the token-id encoder requires a 1:1
 * mapping); it wins because its {@link #order()} is higher and its package is not {@code org.keycloak}.
 */
public final class M2mClientCredentialsGrantTypeFactory implements OAuth2GrantTypeFactory, M2mProviderFactory<OAuth2GrantType> {

    public static final String PROVIDER_ID = OAuth2Constants.CLIENT_CREDENTIALS;
    /** Must stay "cc": it is the built-in shortcut, encoded into token ids. */
    static final String SHORTCUT = "cc";

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        M2mClientCredentialsGrantType grant = new M2mClientCredentialsGrantType();
        if (!KeycloakAdapter.grantsArePreProcessed()) {
            // Keycloak 26.4/26.5: TokenEndpoint.checkGrantType creates the grant before checkClient authenticates the
            // client, and there is no preProcess: rate limits that apply before authentication are checked here
            MultivaluedMap<String, String> form = KeycloakAdapter.tokenRequestForm(session);
            if (form != null && session.getContext().getRealm() != null) grant.beforeAuthentication(session, form);
        }
        return grant;
    }

    /** Checks once, at startup, how API tokens can be shaped on the running Keycloak version, and logs it. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        TokenHooks.init();
    }

    @Override
    public String getShortcut() {
        return SHORTCUT;
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
        return ExtensionInfo.operationalInfo(Map.of("replaces", "org.keycloak.protocol.oidc.grants.ClientCredentialsGrantTypeFactory"));
    }
}

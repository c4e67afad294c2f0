package dev.keycloakm2m.token;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;

import dev.keycloakm2m.store.RealmIndexCache;

/** Reports tokens whose single audience is one of the realm's APIs as issued; other tokens as Keycloak does. */
final class M2mAccessTokenIntrospectionProvider extends AccessTokenIntrospectionProvider<AccessToken> {

    M2mAccessTokenIntrospectionProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, UserSessionModel userSession) {
        String[] audience = token.getAudience();
        if (audience != null && audience.length == 1
                && RealmIndexCache.get(session, realm).apiByIdentifier(audience[0]).isPresent()) {
            return token;
        }
        return super.transformAccessToken(token, userSession);
    }
}

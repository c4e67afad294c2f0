package dev.keycloakm2m.kc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;

/**
 * Keycloak 26.4 only ({@link TokenHooks.Mode#TOKEN_MANAGER}): there {@code ClientCredentialsGrantType.process}
 * builds the response inline, {@code tokenManager.responseBuilder(...).generateAccessToken()...build()}, without
 * the grant methods 26.5 added. The grant hands Keycloak this token manager for one API request: the response
 * builder sees only the client's own mappers and reports the API's scopes, and the access token is shaped for the
 * API as soon as Keycloak created it.
 * <p>
 * {@code createClientAccessToken(6 args)} exists in 26.4 and 26.5 (26.7 has only a form with an extra
 * {@code boolean isOffline}); it is declared here without {@code @Override} because this class is compiled against
 * 26.7, and Keycloak 26.4's response builder calls it virtually. The original is reached through a
 * {@link MethodHandle}; where it is missing, {@link TokenHooks} never selects this class.
 */
final class LegacyTokenManager extends TokenManager {

    /** TokenManager.createClientAccessToken(session, realm, client, user, userSession, ctx) of Keycloak ≤ 26.5. */
    static final MethodHandle SUPER_CREATE_CLIENT_ACCESS_TOKEN = superCreateClientAccessToken();

    private final BiConsumer<AccessToken, UserModel> shaper;
    private final String scope;

    LegacyTokenManager(BiConsumer<AccessToken, UserModel> shaper, String scope) {
        this.shaper = shaper;
        this.scope = scope;
    }

    private static MethodHandle superCreateClientAccessToken() {
        try {
            return MethodHandles.lookup().findSpecial(TokenManager.class, "createClientAccessToken",
                    MethodType.methodType(AccessToken.class, KeycloakSession.class, RealmModel.class, ClientModel.class,
                            UserModel.class, UserSessionModel.class, ClientSessionContext.class),
                    LegacyTokenManager.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Keycloak ≤ 26.5's signature (no {@code @Override}: not in the 26.7 API we compile against). */
    public AccessToken createClientAccessToken(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user,
                                               UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        AccessToken token;
        try {
            token = (AccessToken) SUPER_CREATE_CLIENT_ACCESS_TOKEN.invoke(this, session, realm, client, user, userSession,
                    clientSessionCtx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        shaper.accept(token, user);
        return token;
    }

    @Override
    public AccessTokenResponseBuilder responseBuilder(RealmModel realm, ClientModel client, EventBuilder event,
                                                      KeycloakSession session, UserSessionModel userSession,
                                                      ClientSessionContext clientSessionCtx) {
        ClientSessionContext clientOnly = KeycloakAdapter.clientMappersOnly(clientSessionCtx, client, session);
        return super.responseBuilder(realm, client, event, session, userSession, withScopeString(clientOnly, scope));
    }

    /**
     * The context, but with the API's scopes as its scope string: 26.4's builder puts that string into the
     * response's {@code scope} and the event's {@code scope} detail. A dynamic proxy, so that it implements the
     * interface of whichever Keycloak version runs.
     */
    private static ClientSessionContext withScopeString(ClientSessionContext ctx, String scope) {
        return (ClientSessionContext) Proxy.newProxyInstance(LegacyTokenManager.class.getClassLoader(),
                new Class<?>[] {ClientSessionContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getScopeString") && method.getParameterCount() == 0) {
                        return scope;
                    }
                    if (method.getName().equals("equals") && method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    try {
                        return method.invoke(ctx, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

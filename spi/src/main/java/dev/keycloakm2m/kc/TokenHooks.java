package dev.keycloakm2m.kc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.common.Version;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;

/**
 * How our {@code client_credentials} grant gets hold of the token Keycloak builds, so that it can shape it for an
 * API: the part of Keycloak whose shape differs between the minor versions we support. Decided once at startup
 * ({@link #init()}) by looking at the running Keycloak's classes; when neither way is in place, requests that name
 * an API are refused (the grant checks {@link #available()}) and the startup log says why.
 */
public final class TokenHooks {

    private static final Logger LOG = Logger.getLogger(TokenHooks.class);

    /** The Keycloak minor versions this extension is tested on (README "Supported Keycloak versions"). */
    public static final String SUPPORTED_RANGE = "26.4 to 26.7";
    private static final int MIN_MINOR = 4;
    private static final int MAX_MINOR = 7;
    /** The admin theme is Keycloak's console of this minor version, with our pages (README "Supported Keycloak versions"). */
    private static final int CONSOLE_MINOR = 7;

    public enum Mode {
        /**
         * Keycloak 26.5+: {@code ClientCredentialsGrantType} issues through the grant base's
         * {@code createTokenResponseBuilder(...)} and {@code createTokenResponse(builder, ctx, code)}, which our grant
         * overrides.
         */
        GRANT_METHODS,
        /**
         * Keycloak 26.4: {@code process()} builds the response inline; our grant hands it a {@link LegacyTokenManager}
         * and a client configuration without refresh tokens, and re-signs in {@code checkAndBindMtlsHoKToken}.
         */
        TOKEN_MANAGER,
        /** Neither is in place: requests naming an API are refused. */
        UNAVAILABLE
    }

    /** Set once by {@link #init()}; not final so that the test harness can break it on purpose. */
    private static volatile Mode mode;
    private static volatile String reason = "";

    private TokenHooks() {
    }

    /** Probes the running Keycloak and logs the outcome (one line; WARN/ERROR when something is off). */
    public static synchronized void init() {
        String version = Version.VERSION;
        if (!supportedVersion(version)) {
            LOG.warnf("keycloak-m2m supports Keycloak %s; this server runs Keycloak %s: API tokens are issued only if "
                    + "the hooks it needs are found (see the next line), the rest is untested", SUPPORTED_RANGE, version);
        }
        if (supportedVersion(version) && minor26(version) < CONSOLE_MINOR) {
            LOG.warnf("keycloak-m2m on Keycloak %s: do not select the admin theme keycloak-m2m on this version. It is Keycloak "
                    + "26.%d's console with the M2M pages, and that console opens Keycloak's organization pages only for admins "
                    + "with the view-organizations role, which Keycloak %s does not have. Manage APIs, grants, quotas and "
                    + "rate limits through the admin REST API /admin/realms/{realm}/m2m", version, CONSOLE_MINOR, version);
        }
        List<String> missingGrantMethods = missingGrantMethods();
        List<String> missingTokenManager = missingTokenManagerHooks();
        if (KeycloakAdapter.clientMappersOnlyAvailable()) {
            if (missingGrantMethods.isEmpty()) {
                mode = Mode.GRANT_METHODS;
            } else if (missingTokenManager.isEmpty()) {
                mode = Mode.TOKEN_MANAGER;
            } else {
                mode = Mode.UNAVAILABLE;
                reason = "neither the grant methods of Keycloak 26.5+ (missing: " + String.join(", ", missingGrantMethods)
                        + ") nor the token manager hooks of Keycloak 26.4 (missing: " + String.join(", ", missingTokenManager)
                        + ") are in place";
            }
        } else {
            mode = Mode.UNAVAILABLE;
            reason = "DefaultClientSessionContext.fromClientSessionAndClientScopes is missing";
        }
        if (mode == Mode.UNAVAILABLE) {
            LOG.errorf("keycloak-m2m cannot shape API tokens on Keycloak %s: %s. Token requests that name an API are "
                    + "refused with 503 temporarily_unavailable; requests naming no API are served by Keycloak as usual",
                    version, reason);
        } else {
            LOG.infof("keycloak-m2m on Keycloak %s: API tokens are shaped through %s; Keycloak's resource indicators "
                    + "feature %s", version, mode, KeycloakAdapter.resourceIndicatorsKnown() ? "exists" : "does not exist");
        }
    }

    public static Mode mode() {
        Mode m = mode;
        if (m == null) {
            init();
            m = mode;
        }
        return m;
    }

    public static boolean available() {
        return mode() != Mode.UNAVAILABLE;
    }

    public static String unavailableReason() {
        return reason;
    }

    /** Keycloak 26.4's token manager for one API request; see {@link LegacyTokenManager}. */
    public static TokenManager legacyTokenManager(BiConsumer<AccessToken, UserModel> shaper, String scope) {
        return new LegacyTokenManager(shaper, scope);
    }

    /** The client's configuration as Keycloak 26.4's grant reads it, but never with client credentials refresh tokens. */
    public static OIDCAdvancedConfigWrapper withoutRefreshTokens(ClientModel client) {
        return OIDCAdvancedConfigWrapper.fromClientModel(KeycloakAdapter.withoutClientCredentialsRefreshTokens(client));
    }

    /** The minor version of a Keycloak 26.x version string; -1 for anything else. */
    private static int minor26(String version) {
        if (version == null) return -1;
        String[] parts = version.split("[.-]");
        try {
            return parts.length >= 2 && Integer.parseInt(parts[0]) == 26 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean supportedVersion(String version) {
        int minor = minor26(version);
        return minor >= MIN_MINOR && minor <= MAX_MINOR;
    }

    private static List<String> missingGrantMethods() {
        List<String> missing = new ArrayList<>();
        overridable(missing, OAuth2GrantTypeBase.class, "createTokenResponseBuilder", TokenManager.AccessTokenResponseBuilder.class,
                UserModel.class, UserSessionModel.class, ClientSessionContext.class, String.class, Function.class);
        overridable(missing, OAuth2GrantTypeBase.class, "createTokenResponse", jakarta.ws.rs.core.Response.class,
                TokenManager.AccessTokenResponseBuilder.class, ClientSessionContext.class, boolean.class);
        overridable(missing, OAuth2GrantTypeBase.class, "addCustomTokenResponseClaims", void.class,
                AccessTokenResponse.class, ClientSessionContext.class);
        // the 26.5 refactoring that made ClientCredentialsGrantType.process issue through the two methods above
        overridable(missing, ClientCredentialsGrantType.class, "useRefreshToken", boolean.class);
        return missing;
    }

    private static List<String> missingTokenManagerHooks() {
        List<String> missing = new ArrayList<>();
        if (LegacyTokenManager.SUPER_CREATE_CLIENT_ACCESS_TOKEN == null) {
            missing.add("TokenManager.createClientAccessToken(6 args)");
        }
        overridable(missing, TokenManager.class, "responseBuilder", TokenManager.AccessTokenResponseBuilder.class,
                org.keycloak.models.RealmModel.class, ClientModel.class, org.keycloak.events.EventBuilder.class,
                org.keycloak.models.KeycloakSession.class, UserSessionModel.class, ClientSessionContext.class);
        overridable(missing, OAuth2GrantTypeBase.class, "setContext", void.class, OAuth2GrantType.Context.class);
        overridable(missing, OAuth2GrantTypeBase.class, "checkAndBindMtlsHoKToken", void.class,
                TokenManager.AccessTokenResponseBuilder.class, boolean.class);
        field(missing, "tokenManager", TokenManager.class);
        field(missing, "clientConfig", OIDCAdvancedConfigWrapper.class);
        return missing;
    }

    private static void overridable(List<String> missing, Class<?> owner, String name, Class<?> returns, Class<?>... params) {
        String label = owner.getSimpleName() + "." + name;
        try {
            Method m = owner.getDeclaredMethod(name, params);
            int mod = m.getModifiers();
            if (m.getReturnType() != returns || Modifier.isFinal(mod) || Modifier.isStatic(mod) || Modifier.isPrivate(mod)) {
                missing.add(label + " (signature changed)");
            }
        } catch (NoSuchMethodException | LinkageError e) {
            missing.add(label);
        }
    }

    private static void field(List<String> missing, String name, Class<?> type) {
        try {
            Field f = OAuth2GrantTypeBase.class.getDeclaredField(name);
            int mod = f.getModifiers();
            if (f.getType() != type || Modifier.isFinal(mod) || Modifier.isPrivate(mod) || Modifier.isStatic(mod)) {
                missing.add("OAuth2GrantTypeBase." + name + " (changed)");
            }
        } catch (NoSuchFieldException | LinkageError e) {
            missing.add("OAuth2GrantTypeBase." + name);
        }
    }
}

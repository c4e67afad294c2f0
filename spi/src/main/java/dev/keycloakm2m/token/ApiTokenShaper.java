package dev.keycloakm2m.token;

import java.util.List;
import java.util.Set;

import org.keycloak.representations.AccessToken;

import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenDialect;

/**
 * Turns the access token Keycloak built (with the client's own protocol mappers applied) into a token for one API:
 * audience, scopes, lifetime and dialect claims are ours and cannot be changed by mappers; Keycloak's role and
 * session claims are removed. Custom claims from the client's mappers stay.
 */
final class ApiTokenShaper {

    static final String GTY = "gty";
    static final String CLIENT_ID = "client_id";
    static final String PERMISSIONS = "permissions";
    static final String CLIENT_CREDENTIALS_GTY = "client-credentials";
    static final String ORG_ID = "org_id";
    static final String ORG_NAME = "org_name";

    /** Claims only this class sets; a protocol mapper's value for them is dropped. */
    static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "typ", "azp", "scope",
            CLIENT_ID, GTY, PERMISSIONS, "sid", "session_state", "acr", "auth_time", "realm_access", "resource_access",
            "allowed-origins", "cnf", ORG_ID, ORG_NAME);

    private ApiTokenShaper() {
    }

    static void shape(AccessToken token, ResourceServer api, List<String> scopes, String clientId, String subject,
                      String issuer, long now) {
        shape(token, api, scopes, clientId, subject, issuer, now, null, null);
    }

    /**
     * With an organization: {@code org_id} (Keycloak's organization id) and, when {@code organizationName} is not
     * {@code null}, {@code org_name}, as Auth0 issues them.
     */
    static void shape(AccessToken token, ResourceServer api, List<String> scopes, String clientId, String subject,
                      String issuer, long now, String organizationId, String organizationName) {
        token.getOtherClaims().keySet().removeIf(RESERVED::contains);
        token.setRealmAccess(null);
        token.setResourceAccess(null);
        token.setAllowedOrigins(null);
        token.setAcr(null);
        token.setSessionId(null);
        token.setAuth_time(null);
        token.setNonce(null);

        token.issuer(issuer);
        token.subject(subject);
        token.audience(api.identifier());
        token.iat(now);
        token.nbf(null);
        token.exp(now + api.tokenLifetime());
        token.setScope(scopes.isEmpty() ? null : String.join(" ", scopes));
        // azp in every dialect: Keycloak's introspection and revocation endpoints find the client by it
        token.issuedFor(clientId);

        TokenDialect dialect = api.tokenDialect();
        if (dialect.rfc9068()) {
            token.setOtherClaims(CLIENT_ID, clientId);
        } else {
            token.setOtherClaims(GTY, CLIENT_CREDENTIALS_GTY);
        }
        if (dialect.permissions()) {
            token.setOtherClaims(PERMISSIONS, List.copyOf(scopes));
        }
        if (organizationId != null) {
            token.setOtherClaims(ORG_ID, organizationId);
            if (organizationName != null) token.setOtherClaims(ORG_NAME, organizationName);
        }
    }
}

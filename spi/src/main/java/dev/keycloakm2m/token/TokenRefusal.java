package dev.keycloakm2m.token;

import java.util.List;

import dev.keycloakm2m.store.ErrorStyle;

/**
 * A refused API token request: OAuth error code, description and HTTP status in the realm's error style, and the
 * machine-readable reason recorded on the CLIENT_LOGIN_ERROR event.
 */
public record TokenRefusal(String error, String description, int status, String reason) {

    public static final String INVALID_TARGET = "invalid_target";
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String SERVER_ERROR = "server_error";
    public static final String TOO_MANY_REQUESTS = "too_many_requests";
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private static final int MAX_ECHO = 600;

    static TokenRefusal of(ApiTarget.Problem problem) {
        return switch (problem) {
            case MULTIPLE_TARGETS -> new TokenRefusal(INVALID_TARGET,
                    "One API per token: send a single audience or resource value", 400, "multiple_targets");
            case CONFLICTING_TARGETS -> new TokenRefusal(INVALID_REQUEST,
                    "audience and resource name different APIs", 400, "conflicting_targets");
            case INVALID_RESOURCE -> new TokenRefusal(INVALID_TARGET,
                    "resource must be an absolute URI without a fragment (RFC 8707)", 400, "invalid_resource");
        };
    }

    static TokenRefusal unknownApi(ErrorStyle style, String audience) {
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, "Service not found: " + echo(audience), 403, "unknown_api")
                : new TokenRefusal(INVALID_TARGET, "Unknown API: " + echo(audience), 400, "unknown_api");
    }

    static TokenRefusal notAuthorized(ErrorStyle style, String clientId, String audience, boolean denyAll) {
        String reason = denyAll ? "api_denies_all_clients" : "no_client_grant";
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, "Client is not authorized to access \"" + audience
                        + "\". You need to create a \"client-grant\" associated to this API.", 403, reason)
                : new TokenRefusal(INVALID_TARGET, "Client \"" + clientId + "\" is not authorized to access \"" + audience + "\"", 400, reason);
    }

    static TokenRefusal scopesNotGranted(ErrorStyle style, List<String> missing) {
        String description = "Client has not been granted scopes: " + echo(String.join(" ", missing));
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, description, 403, "scopes_not_granted")
                : new TokenRefusal(INVALID_SCOPE, description, 400, "scopes_not_granted");
    }

    // ---- organizations (Auth0 publishes no exact texts for these: the Auth0 style follows its wording for grants)

    /** The grant's organization_usage is require and the request names no organization. */
    static TokenRefusal organizationRequired(ErrorStyle style, String audience) {
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(INVALID_REQUEST, "Missing required parameter: organization", 400, "organization_required")
                : new TokenRefusal(INVALID_REQUEST, "The organization parameter is required for \"" + echo(audience) + "\"", 400,
                        "organization_required");
    }

    /** The grant's organization_usage is deny and the request names an organization. */
    static TokenRefusal organizationNotAllowed(ErrorStyle style, String clientId, String audience) {
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, "Client is not authorized to access \"" + echo(audience)
                        + "\" on behalf of an organization. The client grant's organization_usage is \"deny\".", 403, "organization_not_allowed")
                : new TokenRefusal(ACCESS_DENIED, "Client \"" + clientId + "\" may not use an organization with \"" + echo(audience)
                        + "\"", 403, "organization_not_allowed");
    }

    /** No enabled organization of the realm has this id or alias (unknown and disabled read the same). */
    static TokenRefusal unknownOrganization(ErrorStyle style, String organization, String reason) {
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, "Organization not found: " + echo(organization), 403, reason)
                : new TokenRefusal(INVALID_REQUEST, "Unknown organization: " + echo(organization), 400, reason);
    }

    /** The organization is neither associated with the grant nor does the grant allow any organization. */
    static TokenRefusal organizationNotAssociated(ErrorStyle style, String clientId, String audience, String organization) {
        return style == ErrorStyle.AUTH0
                ? new TokenRefusal(ACCESS_DENIED, "Client is not authorized to access \"" + echo(audience) + "\" on behalf of organization \""
                        + echo(organization) + "\". You need to associate the organization with the \"client-grant\".", 403,
                        "organization_not_associated")
                : new TokenRefusal(ACCESS_DENIED, "Client \"" + clientId + "\" is not authorized to access \"" + echo(audience)
                        + "\" for organization \"" + echo(organization) + "\"", 403, "organization_not_associated");
    }

    static TokenRefusal tooLong(String parameter, String error) {
        return new TokenRefusal(error, "The " + parameter + " parameter is longer than this server accepts", 400,
                parameter + "_too_long");
    }

    /** The client sent a control character (U+0000-U+001F, U+007F-U+009F) in the parameter. */
    static TokenRefusal controlCharacters(String parameter, String error) {
        return new TokenRefusal(error, "The " + parameter + " parameter must not contain control characters", 400,
                parameter + "_control_characters");
    }

    /**
     * Keycloak changed the parameter before us although it held no control character: it also deletes text that
     * looks like an encoded control character ({@code %0A} sent as {@code %250A}) or a terminal escape ({@code [1m}).
     */
    static TokenRefusal altered(String parameter, String error) {
        return new TokenRefusal(error, "The " + parameter + " parameter contains text this server removes from request"
                + " parameters (an encoded control character or a terminal escape sequence)", 400, parameter + "_altered");
    }

    static TokenRefusal noSigningKey(String algorithm) {
        return new TokenRefusal(SERVER_ERROR, "The API's signing algorithm " + algorithm
                + " has no active key in this realm", 500, "no_signing_key");
    }

    /**
     * The Keycloak-version-specific hooks that shape API tokens are not in place ({@code kc/TokenHooks}), or did not
     * run for this request: an API request is refused rather than answered with a token not shaped for the API.
     * 503, not 500: the server works, it cannot serve API tokens (the startup log says why).
     */
    static TokenRefusal hooksUnavailable(String reason) {
        return new TokenRefusal(TEMPORARILY_UNAVAILABLE, "API tokens are not available on this server: keycloak-m2m "
                + "cannot shape tokens on this Keycloak version (see the server log)", 503, reason);
    }

    /** Request values echoed in descriptions are cut; an identifier is at most 600 characters anyway. */
    static String echo(String value) {
        if (value == null) return "";
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "…";
    }
}

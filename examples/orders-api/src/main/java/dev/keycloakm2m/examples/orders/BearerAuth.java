package dev.keycloakm2m.examples.orders;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bearer token in a request and the {@code WWW-Authenticate} challenges of RFC 6750 section 3: no error code
 * when the request carries no token, {@code invalid_token} (401) for any token that fails validation, and
 * {@code insufficient_scope} (403) naming the scope the route needs.
 */
final class BearerAuth {

    /** RFC 6750 section 2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    static final String NO_TOKEN_CHALLENGE = "Bearer";
    static final String INVALID_TOKEN_CHALLENGE = "Bearer error=\"invalid_token\"";
    static final String INVALID_REQUEST_CHALLENGE = "Bearer error=\"invalid_request\"";

    /** What the Authorization header(s) of a request amount to. */
    sealed interface Credentials permits None, Malformed, Present {
    }

    /** No bearer credentials at all (no header, or another scheme such as Basic). */
    record None() implements Credentials {
    }

    /** Bearer credentials that are not a token (empty, illegal characters) or sent more than once. */
    record Malformed(boolean repeated) implements Credentials {
    }

    record Present(String token) implements Credentials {
    }

    private BearerAuth() {
    }

    static Credentials credentials(List<String> authorizationHeaders) {
        if (authorizationHeaders == null || authorizationHeaders.isEmpty()) return new None();
        if (authorizationHeaders.size() > 1) return new Malformed(true);
        String header = authorizationHeaders.get(0).trim();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) return new None();
        String token = space < 0 ? "" : header.substring(space + 1).trim();
        return B64TOKEN.matcher(token).matches() ? new Present(token) : new Malformed(false);
    }

    static String insufficientScopeChallenge(String scope) {
        return "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"";
    }
}

package dev.keycloakm2m.store;

import java.util.Arrays;
import java.util.Optional;

/** How the token endpoint words refusals for API requests. */
public enum ErrorStyle {
    /** RFC 6749 / RFC 8707 codes with 400: invalid_target, invalid_scope. */
    RFC("rfc"),
    /** Auth0's: 403 access_denied with Auth0's descriptions. */
    AUTH0("auth0");

    private final String wire;

    ErrorStyle(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ErrorStyle> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(ErrorStyle::wire).toList());
    }
}

package dev.keycloakm2m.store;

import java.util.Arrays;
import java.util.Optional;

/** Shape of the access tokens of an API, as Auth0 names them. */
public enum TokenDialect {
    /** Header {@code typ: JWT}, {@code azp} and {@code gty: client-credentials}. */
    ACCESS_TOKEN("access_token"),
    /** {@link #ACCESS_TOKEN} plus {@code permissions}. */
    ACCESS_TOKEN_AUTHZ("access_token_authz"),
    /** RFC 9068: header {@code typ: at+jwt}, {@code client_id}, no {@code gty}. */
    RFC9068_PROFILE("rfc9068_profile"),
    /** {@link #RFC9068_PROFILE} plus {@code permissions}. */
    RFC9068_PROFILE_AUTHZ("rfc9068_profile_authz");

    private final String wire;

    TokenDialect(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean rfc9068() {
        return this == RFC9068_PROFILE || this == RFC9068_PROFILE_AUTHZ;
    }

    public boolean permissions() {
        return this == ACCESS_TOKEN_AUTHZ || this == RFC9068_PROFILE_AUTHZ;
    }

    public static Optional<TokenDialect> fromWire(String value) {
        return Arrays.stream(values()).filter(d -> d.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(TokenDialect::wire).toList());
    }
}

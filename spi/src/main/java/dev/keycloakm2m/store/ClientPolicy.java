package dev.keycloakm2m.store;

import java.util.Arrays;
import java.util.Optional;

/** Which machine-to-machine clients may get tokens for an API (Auth0: subject_type_authorization.client.policy). */
public enum ClientPolicy {
    /** Only clients with a client grant for the API (the default). */
    REQUIRE_CLIENT_GRANT("require_client_grant"),
    /** No client, whatever its grants. */
    DENY_ALL("deny_all");

    private final String wire;

    ClientPolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ClientPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(ClientPolicy::wire).toList());
    }
}

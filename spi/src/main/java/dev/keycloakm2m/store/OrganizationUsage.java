package dev.keycloakm2m.store;

import java.util.Arrays;
import java.util.Optional;

/** Auth0's {@code organization_usage} of a client grant: whether client credentials may name an organization. */
public enum OrganizationUsage {
    /** No organization may be named (the default). */
    DENY("deny"),
    /** An organization may be named. */
    ALLOW("allow"),
    /** An organization must be named. */
    REQUIRE("require");

    private final String wire;

    OrganizationUsage(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<OrganizationUsage> fromWire(String value) {
        return Arrays.stream(values()).filter(u -> u.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(OrganizationUsage::wire).toList());
    }
}

package dev.keycloakm2m.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Unit-test helpers: JSON bodies and the refusal a parse step throws. */
final class Refusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Refusals() {
    }

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The refusal {@code r} throws; fails when it accepts. */
    static AdminRequestException refused(Runnable r) {
        try {
            r.run();
        } catch (AdminRequestException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }
}

package dev.keycloakm2m.ratelimit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The client a token request names, before anything is verified, the way Keycloak's client authenticators find it:
 * the {@code client_id} form parameter, else the user of an HTTP Basic {@code Authorization} header (RFC 6749 2.3.1:
 * form-urlencoded), else the {@code sub} of a {@code client_assertion} JWT (read, not verified). {@code null} when
 * the request names none.
 */
public final class ClaimedClient {

    /** Longer values are not looked at (Keycloak refuses them anyway). */
    static final int MAX_LENGTH = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaimedClient() {
    }

    public static String of(String formClientId, String authorization, String clientAssertion) {
        if (formClientId != null && !formClientId.isEmpty()) return formClientId;
        String basic = basicUser(authorization);
        if (basic != null) return basic;
        return assertionSubject(clientAssertion);
    }

    static String basicUser(String authorization) {
        if (authorization == null || authorization.length() > MAX_LENGTH) return null;
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) return null;
        try {
            String decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) return null;
            return URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String assertionSubject(String jwt) {
        if (jwt == null || jwt.length() > MAX_LENGTH) return null;
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) return null;
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode sub = payload == null ? null : payload.get("sub");
            return sub != null && sub.isTextual() && !sub.textValue().isEmpty() ? sub.textValue() : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }
}

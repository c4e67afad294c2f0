package dev.keycloakm2m.legacy;

import dev.keycloakm2m.store.ApiScope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * API scopes in a component config value: the admin console's "Map" field format,
 * {@code [{"key":"read:orders","value":"Read orders"}]}, so the console edits them as value/description pairs.
 * Realm files of 0.1.x carry them this way; the tables keep one row per scope.
 */
public final class ScopesCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScopesCodec() {
    }

    public static String encode(List<ApiScope> scopes) {
        List<Map<String, String>> out = new ArrayList<>();
        for (ApiScope s : scopes) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("key", s.value());
            e.put("value", s.description());
            out.add(e);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the stored form; {@code null} or blank is no scopes. */
    public static List<ApiScope> decode(String stored) throws IllegalArgumentException {
        if (stored == null || stored.isBlank()) return List.of();
        JsonNode root;
        try {
            root = JSON.readTree(stored);
        } catch (IOException e) {
            throw new IllegalArgumentException("scopes: not a JSON list of {key, value} pairs");
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("scopes: not a JSON list of {key, value} pairs");
        }
        List<ApiScope> scopes = new ArrayList<>();
        for (JsonNode e : root) {
            if (!e.isObject() || !e.path("key").isTextual() || !(e.path("value").isTextual() || e.path("value").isMissingNode() || e.path("value").isNull())) {
                throw new IllegalArgumentException("scopes: every entry needs a text key (the scope value) and a text value (its description)");
            }
            scopes.add(new ApiScope(e.get("key").asText(), e.path("value").isTextual() ? e.get("value").asText() : ""));
        }
        return scopes;
    }
}

package dev.keycloakm2m.auth0;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The query parameters of an import: {@code dry_run}, {@code create_missing_clients}, {@code skip_unresolved},
 * {@code keep_client_ids} (booleans), {@code keywords} (JSON object: keyword to value, as the Deploy CLI's
 * {@code AUTH0_KEYWORD_REPLACE_MAPPINGS}) and {@code client_map} (JSON object: Auth0 application name or client id to
 * Keycloak Client ID).
 */
public record ImportOptions(boolean dryRun, boolean createMissingClients, boolean skipUnresolved, boolean keepClientIds,
                            Map<String, JsonNode> keywords, Map<String, String> clientMap) {

    static final String FILE = "query parameters";
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public static ImportOptions parse(String dryRun, String createMissingClients, String skipUnresolved, String keepClientIds,
                                      String keywords, String clientMap) {
        Map<String, JsonNode> words = new LinkedHashMap<>();
        JsonNode k = object("keywords", keywords);
        if (k != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!KEYWORD.matcher(e.getKey()).matches()) {
                    throw ImportException.bad(FILE, null, "keywords", "keyword " + e.getKey()
                            + " may only contain letters, digits, '_', '.' and '-'");
                }
                words.put(e.getKey(), e.getValue());
            }
        }
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode m = object("client_map", clientMap);
        if (m != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual() || e.getValue().textValue().isEmpty()) {
                    throw ImportException.bad(FILE, null, "client_map", "client_map: the value for " + e.getKey()
                            + " must be a Keycloak Client ID (a non-empty string)");
                }
                map.put(e.getKey(), e.getValue().textValue());
            }
        }
        return new ImportOptions(bool("dry_run", dryRun), bool("create_missing_clients", createMissingClients),
                bool("skip_unresolved", skipUnresolved), bool("keep_client_ids", keepClientIds), words, map);
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) return false;
        if (value.equals("true")) return true;
        if (value.equals("false")) return false;
        throw ImportException.bad(FILE, null, name, name + " must be true or false");
    }

    private static JsonNode object(String name, String value) {
        if (value == null || value.isBlank()) return null;
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw ImportException.bad(FILE, null, name, name + " must be a JSON object (URL-encoded): " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ImportException.bad(FILE, null, name, name + " must be a JSON object (URL-encoded)");
        }
        return node;
    }
}

package dev.keycloakm2m.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.TestRealm;

/** The M2M admin REST API of a test realm, as a script would call it. */
public final class M2mRest {

    public static final String APIS = "/m2m/resource-servers";
    public static final String GRANTS = "/m2m/client-grants";
    public static final String SETTINGS = "/m2m/settings";

    static final List<String> API_FIELDS = List.of("id", "name", "identifier", "scopes", "signing_alg", "token_lifetime",
            "token_dialect", "subject_type_authorization");
    static final List<String> GRANT_FIELDS = List.of("id", "client_id", "audience", "scope", "allow_all_scopes",
            "organization_usage", "allow_any_organization");

    private M2mRest() {
    }

    public static Map<String, Object> api(String name, String identifier, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("identifier", identifier);
        List<Map<String, String>> list = new ArrayList<>();
        for (String s : scopes) list.add(Map.of("value", s, "description", "Allows " + s));
        body.put("scopes", list);
        return body;
    }

    public static Map<String, Object> grant(String clientId, String audience, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put("audience", audience);
        body.put("scope", List.of(scopes));
        return body;
    }

    /** Creates an API over REST and returns its representation. */
    public static JsonNode createApi(TestRealm realm, Map<String, Object> body) {
        HttpResult r = realm.post(APIS, body);
        assertThat(r.status()).as("create API: %s", r).isEqualTo(201);
        return r.json();
    }

    public static JsonNode createGrant(TestRealm realm, Map<String, Object> body) {
        HttpResult r = realm.post(GRANTS, body);
        assertThat(r.status()).as("create grant: %s", r).isEqualTo(201);
        return r.json();
    }

    /** The path segment for an identifier: URL-encoded, slashes included. */
    public static String enc(String identifier) {
        return Http.enc(identifier).replace("+", "%20");
    }

    /** A raw request to the realm's admin API with the master admin token and the given headers. */
    static HttpResult raw(TestRealm realm, String method, String path, Map<String, String> headers, String body) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Authorization", "Bearer " + realm.admin().token());
        return Http.send(method, realm.admin().baseUrl() + "/admin/realms/" + realm.name() + path, h, body);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    /** Asserts Keycloak's admin error body: exactly this status and errorMessage. */
    static JsonNode assertError(HttpResult r, int status, String errorMessage) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("errorMessage").asText()).as("%s", r).isEqualTo(errorMessage);
        return body;
    }
}

package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.GRANTS;
import static dev.keycloakm2m.admin.M2mRest.SETTINGS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.assertError;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static dev.keycloakm2m.admin.M2mRest.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

/** Whatever arrives: a clear 4xx in the admin error format, never a 500, and nothing stored. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Admin REST /m2m: malformed, oversized, mistyped and odd input")
class BadInputIT {

    static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    static final String IDENTIFIER = "https://api.example.com/stable";
    private String apiId;
    private String grantId;

    @BeforeAll
    void setUp(TestRealm realm) {
        realm.createClient("svc-input");
        apiId = createApi(realm, api("Stable", IDENTIFIER, "read", "write")).get("id").asText();
        grantId = M2mRest.createGrant(realm, M2mRest.grant("svc-input", IDENTIFIER, "read")).get("id").asText();
    }

    /** Everything the realm holds, as the admin REST API shows it. */
    private String state(TestRealm realm) {
        return realm.get(APIS + "?per_page=100").body() + realm.get(GRANTS + "?per_page=100").body() + realm.get(SETTINGS).body()
                + realm.get("/m2m/rate-limit-policies").body();
    }

    /** Every write endpoint with the same raw body and headers: exactly this status and errorMessage. */
    private void everyWrite(TestRealm realm, Map<String, String> headers, String body, int status, String errorMessage) {
        everyWrite(realm, headers, body, status, Pattern.compile(Pattern.quote(errorMessage)));
    }

    /**
     * The same with the errorMessage matched by a pattern: the parser's wording after its fixed start may differ
     * between Jackson versions (Keycloak 26.4 to 26.7); the same body gets the same message from every endpoint.
     */
    private void everyWrite(TestRealm realm, Map<String, String> headers, String body, int status, Pattern errorMessage) {
        String before = state(realm);
        java.util.Set<String> messages = new java.util.HashSet<>();
        for (String[] call : List.of(new String[] {"POST", APIS}, new String[] {"PATCH", APIS + "/" + apiId},
                new String[] {"POST", GRANTS}, new String[] {"PATCH", GRANTS + "/" + grantId}, new String[] {"PATCH", SETTINGS})) {
            HttpResult r = raw(realm, call[0], call[1], headers, body);
            assertThat(r.status()).as("%s %s: %s", call[0], call[1], r).isEqualTo(status);
            assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
            String message = r.json().path("errorMessage").asText();
            assertThat(message).as("%s %s", call[0], call[1]).matches(errorMessage);
            messages.add(message);
        }
        assertThat(messages).as("one message for the same body, whatever the endpoint").hasSize(1);
        assertThat(state(realm)).isEqualTo(before);
    }

    static Pattern malformed(String reason) {
        return Pattern.compile("Malformed JSON: " + reason + ".* \\(line 1, column \\d+\\)");
    }

    @Test
    @DisplayName("malformed JSON: 400 \"Malformed JSON: ...\" with the parser's reason and position")
    void malformedJson(TestRealm realm) {
        HttpResult r = raw(realm, "POST", APIS, JSON, "{\"name\": \"x\", ");
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().get("errorMessage").asText()).matches(malformed("Unexpected end-of-input"));
        everyWrite(realm, JSON, "{\"name\": ", 400, malformed("Unexpected end-of-input"));
        everyWrite(realm, JSON, "{'name': 'single quotes'}", 400,
                malformed("Unexpected character \\('''.*double-quote to start field name"));
        everyWrite(realm, JSON, "{\"name\":\"a\"} trailing", 400, malformed("Unrecognized token 'trailing'"));
    }

    @Test
    @DisplayName("duplicate keys: 400, not last-one-wins")
    void duplicateKeys(TestRealm realm) {
        everyWrite(realm, JSON, "{\"scope\":[],\"scope\":[\"read\"],\"name\":\"a\",\"name\":\"b\"}", 400,
                malformed("Duplicate field 'scope'"));
        HttpResult r = raw(realm, "POST", APIS, JSON, "{\"name\":\"a\",\"name\":\"b\",\"identifier\":\"urn:dup\"}");
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().get("errorMessage").asText()).matches(malformed("Duplicate field 'name'"));
        assertThat(realm.get(APIS + "?identifiers=urn:dup").json()).isEmpty();
    }

    @Test
    @DisplayName("an empty body or JSON that is not an object: 400")
    void notAnObject(TestRealm realm) {
        everyWrite(realm, JSON, "", 400, "A JSON object is required as the request body");
        everyWrite(realm, JSON, "[]", 400, "The request body must be a JSON object");
        everyWrite(realm, JSON, "null", 400, "The request body must be a JSON object");
        everyWrite(realm, JSON, "\"name\"", 400, "The request body must be a JSON object");
    }

    @Test
    @DisplayName("a content type other than JSON, or none: 415 saying application/json is expected")
    void contentType(TestRealm realm) {
        everyWrite(realm, Map.of("Content-Type", "text/plain"), "{}", 415, "Content-Type must be application/json, not text/plain");
        everyWrite(realm, Map.of("Content-Type", "application/x-www-form-urlencoded"), "name=x", 415,
                "Content-Type must be application/json, not application/x-www-form-urlencoded");
        everyWrite(realm, Map.of(), "{}", 415, "Content-Type must be application/json");
        everyWrite(realm, Map.of("Content-Type", "application/json; charset=ISO-8859-1"), "{}", 415,
                "The request body must be UTF-8 encoded JSON");
        HttpResult ok = raw(realm, "PATCH", SETTINGS, Map.of("Content-Type", "application/merge-patch+json"), "{}");
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    }

    @Test
    @DisplayName("a body over 64 KiB: 413, nothing stored")
    void huge(TestRealm realm) {
        String name = "x".repeat(1024 * 1024);
        String body = "{\"name\":\"" + name + "\",\"identifier\":\"urn:huge\"}";
        everyWrite(realm, JSON, body, 413, "The request body is larger than 65536 bytes");
        assertThat(realm.get(APIS + "?identifiers=urn:huge").json()).isEmpty();
    }

    @Test
    @DisplayName("bytes that are not UTF-8: 400")
    void notUtf8(TestRealm realm) {
        byte[] latin1 = "{\"name\":\"Caf\u00e9\",\"identifier\":\"urn:latin1\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm.admin().baseUrl() + "/admin/realms/" + realm.name() + APIS))
                .header("Authorization", "Bearer " + realm.admin().token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)).build();
        assertError(Http.send(request), 400, "The request body is not valid UTF-8");
        assertThat(realm.get(APIS + "?identifiers=urn:latin1").json()).isEmpty();
    }

    @Test
    @DisplayName("unicode names round-trip exactly: accents, CJK, right-to-left, emoji")
    void unicode(TestRealm realm) {
        String name = "Zahlungsverkehr \u00e4\u00f6\u00fc \u6ce8\u6587 \u05d4\u05d6\u05de\u05e0\u05d5\u05ea \ud83d\udce6";
        JsonNode created = createApi(realm, Map.of("name", name, "identifier", "urn:unicode:\u6ce8\u6587",
                "scopes", List.of(Map.of("value", "lire:commandes", "description", "Lire les commandes \u2014 \u00e9t\u00e9 \ud83c\udf1e"))));
        assertThat(created.get("name").asText()).isEqualTo(name);
        JsonNode stored = realm.get(APIS + "/" + M2mRest.enc("urn:unicode:\u6ce8\u6587")).json();
        assertThat(stored).isEqualTo(created);
        assertThat(stored.at("/scopes/0/description").asText()).endsWith("\ud83c\udf1e");
    }

    @Test
    @DisplayName("control characters and broken surrogates in names, identifiers and scopes: 400 from the validator, never 500")
    void controlCharacters(TestRealm realm) {
        String before = state(realm);
        assertError(realm.post(APIS, Map.of("name", "bell\u0007", "identifier", "urn:ctl")), 400,
                "name must not contain control characters: \"bell\\u0007\"");
        assertError(raw(realm, "POST", APIS, JSON, "{\"name\":\"nul\\u0000\",\"identifier\":\"urn:nul\"}"), 400,
                "name must not contain control characters: \"nul\\u0000\"");
        assertError(raw(realm, "POST", APIS, JSON, "{\"name\":\"half \\ud800\",\"identifier\":\"urn:half\"}"), 400,
                "name must not contain control characters");
        assertError(realm.post(APIS, Map.of("name", "NL", "identifier", "urn:a\nb")), 400,
                "identifier must not contain control characters: \"urn:a\\u000ab\"");
        assertError(realm.post(APIS, Map.of("name", "Space", "identifier", "urn:a b")), 400,
                "identifier must not contain whitespace or control characters");
        HttpResult brokenScope = raw(realm, "POST", APIS, JSON,
                "{\"name\":\"S\",\"identifier\":\"urn:s\",\"scopes\":[{\"value\":\"read\\udc00\"}]}");
        assertThat(brokenScope.status()).as("%s", brokenScope).isEqualTo(400);
        assertThat(brokenScope.json().get("errorMessage").asText()).isEqualTo(
                "scope value \"read\\udc00\" must not contain whitespace or control characters");
        assertError(raw(realm, "POST", GRANTS, JSON, "{\"client_id\":\"svc\\u0000\",\"audience\":\"" + IDENTIFIER + "\"}"), 400,
                "client_id must not contain control characters: \"svc\\u0000\"");
        assertError(raw(realm, "PATCH", GRANTS + "/" + grantId, JSON, "{\"scope\":[\"read\\u0000\"]}"), 400,
                "scope must not contain control characters: \"read\\u0000\"");
        assertThat(state(realm)).isEqualTo(before);
    }

    /** C0 (NUL, BEL, TAB, LF, CR), DEL and C1 (NEL), as JSON escapes. */
    static final List<String> CONTROLS = List.of("\\u0000", "\\u0007", "\\t", "\\n", "\\r", "\\u007f", "\\u0085");

    /** How the error message shows a value: each control character as {@code \\u00XX}. */
    static String shown(String jsonEscape) {
        String c = switch (jsonEscape) {
            case "\\t" -> "0009";
            case "\\n" -> "000a";
            case "\\r" -> "000d";
            default -> jsonEscape.substring(2);
        };
        return "\\u" + c;
    }

    /** One write with one text field holding {@code %s} (a JSON string escape goes there). */
    record ControlCase(String method, String path, String body, String field, String value) {
    }

    @Test
    @DisplayName("a control character in any text field of any write (JSON \\u0000, \\t, \\n, \\u007f, \\u0085 ...): 400 naming the field, nothing stored")
    void controlCharactersInEveryField(TestRealm realm) {
        String before = state(realm);
        String id = IDENTIFIER;
        List<ControlCase> cases = List.of(
                new ControlCase("POST", APIS, "{\"name\":\"Orders%s\",\"identifier\":\"urn:ctl\"}", "name", "Orders"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl%s\"}", "identifier", "urn:ctl"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl\",\"scopes\":[{\"value\":\"read%s\"}]}", "scopes", "read"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl\",\"scopes\":[{\"value\":\"read\",\"description\":\"Read%s\"}]}",
                        "scopes", "Read"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl\",\"signing_alg\":\"RS256%s\"}", "signing_alg", "RS256"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl\",\"token_dialect\":\"access_token%s\"}",
                        "token_dialect", "access_token"),
                new ControlCase("POST", APIS, "{\"name\":\"N\",\"identifier\":\"urn:ctl\",\"subject_type_authorization\":{\"client\":{\"policy\":\"deny_all%s\"}}}",
                        "client_policy", "deny_all"),
                new ControlCase("PATCH", APIS + "/" + apiId, "{\"name\":\"Stable%s\"}", "name", "Stable"),
                new ControlCase("PATCH", APIS + "/" + apiId, "{\"scopes\":[{\"value\":\"read\",\"description\":\"%s\"}]}", "scopes", ""),
                new ControlCase("POST", GRANTS, "{\"client_id\":\"svc-input%s\",\"audience\":\"" + id + "\"}", "client_id", "svc-input"),
                new ControlCase("POST", GRANTS, "{\"client_id\":\"svc-input\",\"audience\":\"" + id + "%s\"}", "audience", id),
                // the grant exists (409 otherwise): the control character is found first
                new ControlCase("POST", GRANTS, "{\"client_id\":\"svc-input\",\"audience\":\"" + id + "\",\"scope\":[\"read%s\"]}", "scope", "read"),
                new ControlCase("PATCH", GRANTS + "/" + grantId, "{\"scope\":[\"read\",\"write%s\"]}", "scope", "write"),
                new ControlCase("PATCH", SETTINGS, "{\"error_style\":\"rfc%s\"}", "error_style", "rfc"),
                new ControlCase("PATCH", SETTINGS, "{\"default_audience\":\"" + id + "%s\"}", "default_audience", id),
                new ControlCase("POST", "/m2m/rate-limit-policies", "{\"consumer_selector\":\"client_id:svc-input%s\",\"limit\":1}",
                        "consumer_selector", "client_id:svc-input"),
                new ControlCase("POST", "/m2m/rate-limit-policies", "{\"consumer_selector\":\"default\",\"action\":\"block%s\",\"limit\":1}",
                        "action", "block"));
        for (String c : CONTROLS) {
            for (ControlCase k : cases) {
                HttpResult r = raw(realm, k.method(), k.path(), JSON, k.body().formatted(c));
                String what = k.method() + " " + k.path() + " " + k.body().formatted(c);
                assertThat(r.status()).as("%s: %s", what, r).isEqualTo(400);
                assertThat(r.json().path("errorMessage").asText()).as(what)
                        .isEqualTo(k.field() + " must not contain control characters: \"" + k.value() + shown(c) + "\"");
                assertThat(r.json().path("field").asText()).as(what).isEqualTo(k.field());
            }
        }
        assertThat(state(realm)).isEqualTo(before);
        assertThat(realm.get(SETTINGS).json().path("error_style").asText()).isEqualTo("rfc");
    }

    @Test
    @DisplayName("realm import: a control character in an imported M2M setting refuses the whole import (400), no realm")
    void controlCharactersRealmImport(dev.keycloakm2m.testing.AdminClient admin) {
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("name", "M2M settings");
        settings.put("providerId", "m2m-settings");
        settings.put("config", Map.of("error_style", List.of("rfc\u0000")));
        Map<String, Object> rep = new java.util.LinkedHashMap<>();
        rep.put("realm", "import-control-characters");
        rep.put("enabled", true);
        rep.put("components", Map.of(TestRealm.TAB_TYPE, List.of(settings)));
        HttpResult r = admin.post("/admin/realms", rep);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).contains("error_style must not contain control characters: \"rfc\\u0000\"");
        assertThat(admin.get("/admin/realms/import-control-characters").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("odd ids in the path (encoded NUL, very long, unicode, dot segments): a 4xx, never 500")
    void oddIds(TestRealm realm) {
        for (String id : List.of("%00", "x".repeat(5000), "%E2%9C%93", "%2E%2E", "a%2F..%2Fb", "%ED%A0%80")) {
            for (String base : List.of(APIS, GRANTS)) {
                HttpResult r = raw(realm, "GET", base + "/" + id, Map.of(), null);
                assertThat(r.status()).as("GET %s/%s: %s", base, id, r).isBetween(400, 499);
                r = raw(realm, "DELETE", base + "/" + id, Map.of(), null);
                assertThat(r.status()).as("DELETE %s/%s: %s", base, id, r).isBetween(400, 499);
            }
        }
        assertThat(realm.get(APIS + "/" + apiId).status()).isEqualTo(200);
        assertThat(realm.get(GRANTS + "/" + grantId).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a refused PATCH leaves the stored API exactly as it was")
    void refusedPatchChangesNothing(TestRealm realm) {
        JsonNode before = realm.get(APIS + "/" + apiId).json();
        assertThat(realm.patch(APIS + "/" + apiId, Map.of("name", "Renamed", "token_lifetime", 1)).status()).isEqualTo(400);
        assertThat(realm.patch(APIS + "/" + apiId, Map.of("name", "Renamed", "scopes", List.of(Map.of("value", "x y")))).status())
                .isEqualTo(400);
        assertThat(realm.get(APIS + "/" + apiId).json()).isEqualTo(before);
    }

    @Test
    @DisplayName("paths that are not endpoints: 404 in the admin error format; methods an endpoint lacks: Keycloak's 405")
    void unknownEndpoints(TestRealm realm) {
        assertError(realm.get("/m2m"), 404, "Unknown M2M admin endpoint");
        assertError(realm.get("/m2m/apis"), 404, "Unknown M2M admin endpoint");
        assertError(realm.get(SETTINGS + "/x"), 404, "Unknown M2M admin endpoint");
        assertError(realm.get(GRANTS + "/" + grantId + "/members"), 404, "Unknown M2M admin endpoint");
        assertThat(realm.put(APIS, Map.of()).status()).isEqualTo(405);
        assertThat(realm.put(APIS + "/" + apiId, Map.of()).status()).isEqualTo(405);
        assertThat(raw(realm, "DELETE", SETTINGS, Map.of(), null).status()).isEqualTo(405);
    }
}

package dev.keycloakm2m.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 3, model rules: validation on the console's write path, cascades, and that tokens see changes at once. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("APIs, grants and settings as stored data")
class ModelIT {

    TestRealm realm;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
    }

    List<JsonNode> components(String providerId) {
        HttpResult r = realm.get("/components?type=" + TestRealm.PAGE_TYPE);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(c -> {
            if (providerId.equals(c.get("providerId").asText())) out.add(c);
        });
        return out;
    }

    List<JsonNode> grantsOf(String clientId) {
        return components("m2m-client-grants").stream().filter(c -> clientId.equals(c.at("/config/client_id/0").asText())).toList();
    }

    static void badRequest(HttpResult r, String message) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("errorMessage").asText()).isEqualTo(message);
    }

    @Test
    @DisplayName("the component endpoint (what the console uses) refuses invalid APIs with the validator's message")
    void apiValidation() {
        realm.createApi("V", "https://v.example.com", Map.of(), null);
        int before = components("m2m-apis").size();
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-apis", Map.of("name", "Dup", "identifier", "https://v.example.com")),
                "A resource server with the same identifier already exists.");
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-apis", Map.of("name", "V2", "identifier", "https://v2", "token_lifetime", "10")),
                "token_lifetime must be a whole number of seconds between 60 and 2592000");
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-apis", Map.of("name", "V3", "identifier", "https://v3", "signing_alg", "ES512")),
                "signing_alg ES512: the realm has no active ES512 signing key (add a key provider for it under Realm settings > Keys)");
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-apis", Map.of("name", "V4", "identifier", "https://v4", "scopes", "not json")),
                "scopes: not a JSON list of {key, value} pairs");
        assertThat(components("m2m-apis")).hasSize(before);
    }

    @Test
    @DisplayName("messages keep quotes and braces from user input verbatim")
    void messageFormatSafe() {
        Client c = realm.createClient("it's{0}");
        realm.createApi("Q", "urn:q'{1}", Map.of(), null);
        realm.createGrant("it's{0}", "urn:q'{1}", List.of(), false);
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-client-grants", Map.of("client_id", c.clientId(), "audience", "urn:q'{1}")),
                "A client grant already exists between it's{0} and urn:q'{1}");
    }

    @Test
    @DisplayName("grant validation on the console path: client kind, API, scope subset; route parameters are not stored")
    void grantValidation() {
        realm.createApi("G", "https://g.example.com", Map.of("read", "", "write", ""), null);
        realm.createClient("g-svc");
        Map<String, Object> web = new LinkedHashMap<>();
        web.put("clientId", "g-web");
        web.put("publicClient", true);
        realm.createClient(web);
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-client-grants", Map.of("client_id", "g-web", "audience", "https://g.example.com")),
                "Client \"g-web\" is not a confidential client: only confidential clients can use client credentials");
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-client-grants", Map.of("client_id", "g-svc", "audience", "https://g.example.com/")),
                "Resource server not found");
        badRequest(realm.postComponent(TestRealm.PAGE_TYPE, "m2m-client-grants", Map.of("client_id", "g-svc", "audience", "https://g.example.com",
                "scope", List.of("read", "admin"))), "scope must be a subset of the resource server's scopes; \"https://g.example.com\" does not define: admin");
        HttpResult ok = realm.postComponent(TestRealm.PAGE_TYPE, "m2m-client-grants", Map.of("client_id", "g-svc",
                "audience", "https://g.example.com", "scope", List.of("write", "read"), "realm", realm.name(), "providerId", "m2m-client-grants"));
        assertThat(ok.status()).isEqualTo(201);
        JsonNode stored = realm.get("/components/" + ok.createdId()).json().get("config");
        assertThat(stored.has("realm")).isFalse();
        assertThat(stored.has("providerId")).isFalse();
    }

    @Test
    @DisplayName("deleting an API deletes its grants; the next token request gets Unknown API")
    void apiCascade() {
        String api = realm.createApi("C", "https://c.example.com", Map.of("x", ""), null);
        Client svc = realm.createClient("c-svc");
        realm.createGrant("c-svc", "https://c.example.com", List.of("x"), false);
        assertThat(realm.clientCredentials(svc, "audience", "https://c.example.com").status()).isEqualTo(200);
        assertThat(realm.delete("/components/" + api).status()).isEqualTo(204);
        assertThat(grantsOf("c-svc")).isEmpty();
        HttpResult r = realm.clientCredentials(svc, "audience", "https://c.example.com");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error_description").asText()).isEqualTo("Unknown API: https://c.example.com");
    }

    @Test
    @DisplayName("deleting a Keycloak client deletes its grants")
    void clientCascade() {
        realm.createApi("D", "https://d.example.com", Map.of(), null);
        Client svc = realm.createClient("d-svc");
        realm.createGrant("d-svc", "https://d.example.com", List.of(), false);
        assertThat(grantsOf("d-svc")).hasSize(1);
        assertThat(realm.delete("/clients/" + svc.id()).status()).isEqualTo(204);
        assertThat(grantsOf("d-svc")).isEmpty();
    }

    @Test
    @DisplayName("renaming a client's Client ID moves its grants to the new id")
    void clientRename() {
        realm.createApi("R", "https://r.example.com", Map.of("r", ""), null);
        Client svc = realm.createClient("r-old");
        realm.createGrant("r-old", "https://r.example.com", List.of("r"), false);
        ObjectNode rep = (ObjectNode) realm.get("/clients/" + svc.id()).json();
        rep.put("clientId", "r-new");
        assertThat(realm.put("/clients/" + svc.id(), rep).status()).isEqualTo(204);
        assertThat(grantsOf("r-old")).isEmpty();
        assertThat(grantsOf("r-new")).hasSize(1);
        HttpResult r = realm.clientCredentials(new Client("r-new", svc.secret(), svc.id()), "audience", "https://r.example.com");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("r");
    }

    @Test
    @DisplayName("removing a scope from an API: no token carries it any more, and grants no longer list it")
    void scopeRemoval() {
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("keep", "");
        scopes.put("drop", "");
        String api = realm.createApi("S", "https://s.example.com", scopes, null);
        Client svc = realm.createClient("s-svc");
        Client all = realm.createClient("s-all");
        realm.createGrant("s-svc", "https://s.example.com", List.of("keep", "drop"), false);
        realm.createGrant("s-all", "https://s.example.com", List.of(), true);
        ObjectNode comp = (ObjectNode) realm.get("/components/" + api).json();
        ((ObjectNode) comp.get("config")).putArray("scopes").add("[{\"key\":\"keep\",\"value\":\"\"}]");
        assertThat(realm.put("/components/" + api, comp).status()).isEqualTo(204);
        assertThat(realm.clientCredentials(svc, "audience", "https://s.example.com").json().get("scope").asText()).isEqualTo("keep");
        assertThat(realm.clientCredentials(all, "audience", "https://s.example.com").json().get("scope").asText()).isEqualTo("keep");
        assertThat(grantsOf("s-svc").get(0).at("/config/scope")).hasSize(1);
        HttpResult r = realm.clientCredentials(svc, "audience", "https://s.example.com", "scope", "drop");
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    @DisplayName("a token request sees a new or deleted grant at once")
    void immediate() {
        realm.createApi("I", "https://i.example.com", Map.of(), null);
        Client svc = realm.createClient("i-svc");
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(400);
        String grant = realm.createGrant("i-svc", "https://i.example.com", List.of(), false);
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(200);
        assertThat(realm.delete("/components/" + grant).status()).isEqualTo(204);
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("settings: default_audience must name an API; deleting that API clears it; one settings object per realm")
    void settings() {
        badRequest(realm.postComponent(TestRealm.TAB_TYPE, "m2m-settings", Map.of("default_audience", "https://none")),
                "default_audience \"https://none\" is not the identifier of an API in this realm");
        String api = realm.createApi("Def", "https://def.example.com", Map.of(), null);
        realm.putSettings(Map.of("default_audience", "https://def.example.com", "error_style", "auth0"));
        assertThat(realm.delete("/components/" + api).status()).isEqualTo(204);
        JsonNode settings = null;
        for (JsonNode c : realm.get("/components?type=" + TestRealm.TAB_TYPE).json()) {
            if ("m2m-settings".equals(c.get("providerId").asText())) settings = c;
        }
        assertThat(settings).isNotNull();
        assertThat(settings.at("/config/default_audience").isMissingNode()).isTrue();
        assertThat(settings.at("/config/error_style/0").asText()).isEqualTo("auth0");
        badRequest(realm.postComponent(TestRealm.TAB_TYPE, "m2m-settings", Map.of("error_style", "rfc")),
                "The realm already has M2M settings; update them instead of creating another");
        realm.putSettings(Map.of("error_style", "rfc"));
    }
}

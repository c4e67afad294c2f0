package dev.keycloakm2m.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** One realm owned by one test class: admin calls scoped to it, clients, and token requests. */
public final class TestRealm implements AutoCloseable {

    /** A confidential client as an application sees it. */
    public record Client(String clientId, String secret, String id) {
    }

    private final KeycloakServer server;
    private final AdminClient admin;
    private final String name;

    private TestRealm(KeycloakServer server, AdminClient admin, String name) {
        this.server = server;
        this.admin = admin;
        this.name = name;
    }

    public static TestRealm create(KeycloakServer server, AdminClient admin, String name) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", name);
        rep.put("enabled", true);
        rep.put("eventsEnabled", true);
        rep.put("adminEventsEnabled", true);
        rep.put("adminEventsDetailsEnabled", true);
        HttpResult r = admin.post("/admin/realms", rep);
        if (r.status() != 201) {
            throw new IllegalStateException("could not create realm " + name + ": " + r);
        }
        return new TestRealm(server, admin, name);
    }

    /** Imports a realm representation (the realm name inside it is used). */
    public static TestRealm importRealm(KeycloakServer server, AdminClient admin, String json) {
        JsonNode rep = parse(json);
        HttpResult r = admin.post("/admin/realms", json);
        if (r.status() != 201) {
            throw new IllegalStateException("could not import realm: " + r);
        }
        return new TestRealm(server, admin, rep.get("realm").asText());
    }

    public static TestRealm existing(KeycloakServer server, AdminClient admin, String name) {
        return new TestRealm(server, admin, name);
    }

    public String name() {
        return name;
    }

    public KeycloakServer server() {
        return server;
    }

    public AdminClient admin() {
        return admin;
    }

    public String issuer() {
        return server.baseUrl() + "/realms/" + name;
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public String introspectionUrl() {
        return issuer() + "/protocol/openid-connect/token/introspect";
    }

    // ---- admin REST scoped to this realm: path is relative to /admin/realms/{realm}

    public HttpResult get(String path) {
        return admin.get(base() + path);
    }

    public HttpResult post(String path, Object body) {
        return admin.post(base() + path, body);
    }

    public HttpResult put(String path, Object body) {
        return admin.put(base() + path, body);
    }

    public HttpResult patch(String path, Object body) {
        return admin.patch(base() + path, body);
    }

    public HttpResult delete(String path) {
        return admin.delete(base() + path);
    }

    private String base() {
        return "/admin/realms/" + name;
    }

    // ---- clients

    /** A confidential client with service accounts enabled and a generated secret. */
    public Client createClient(String clientId) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", clientId);
        rep.put("enabled", true);
        rep.put("publicClient", false);
        rep.put("serviceAccountsEnabled", true);
        rep.put("standardFlowEnabled", false);
        rep.put("directAccessGrantsEnabled", false);
        rep.put("secret", "secret-" + UUID.randomUUID());
        return createClient(rep);
    }

    public Client createClient(Map<String, Object> rep) {
        HttpResult r = post("/clients", rep);
        if (r.status() != 201) {
            throw new IllegalStateException("could not create client " + rep.get("clientId") + ": " + r);
        }
        String id = r.createdId();
        String secret = (String) rep.get("secret");
        if (secret == null && !Boolean.TRUE.equals(rep.get("publicClient"))) {
            HttpResult s = get("/clients/" + id + "/client-secret");
            secret = s.status() == 200 ? s.json().path("value").asText(null) : null;
        }
        return new Client((String) rep.get("clientId"), secret, id);
    }

    // ---- our entities through Keycloak's component endpoint (what the admin console does)

    public static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    public static final String TAB_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";

    /** The realm's internal id (components' parentId). */
    public String id() {
        HttpResult r = get("");
        if (r.status() != 200) throw new IllegalStateException("realm: " + r);
        return r.json().get("id").asText();
    }

    /** POSTs a component of ours; config values are single strings or lists. Returns the HTTP result. */
    public HttpResult postComponent(String providerType, String providerId, Map<String, ?> config) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", providerId);
        rep.put("providerId", providerId);
        rep.put("providerType", providerType);
        rep.put("parentId", id());
        rep.put("config", componentConfig(config));
        return post("/components", rep);
    }

    public static Map<String, List<String>> componentConfig(Map<String, ?> config) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (v == null) return;
            if (v instanceof List<?> l) out.put(k, l.stream().map(String::valueOf).toList());
            else out.put(k, List.of(String.valueOf(v)));
        });
        return out;
    }

    /** An API through the component endpoint; scopes as value/description pairs. Returns the component id. */
    public String createApi(String name, String identifier, Map<String, String> scopes, Map<String, ?> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("identifier", identifier);
        List<Map<String, String>> pairs = new ArrayList<>();
        scopes.forEach((k, v) -> pairs.add(Map.of("key", k, "value", v)));
        config.put("scopes", Http.json(pairs));
        if (extra != null) config.putAll(extra);
        HttpResult r = postComponent(PAGE_TYPE, "m2m-apis", config);
        if (r.status() != 201) throw new IllegalStateException("could not create API " + identifier + ": " + r);
        return r.createdId();
    }

    /** A client grant through the component endpoint. Returns the component id. */
    public String createGrant(String clientId, String audience, List<String> scopes, boolean allowAll) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("client_id", clientId);
        config.put("audience", audience);
        if (!scopes.isEmpty()) config.put("scope", scopes);
        config.put("allow_all_scopes", allowAll);
        HttpResult r = postComponent(PAGE_TYPE, "m2m-client-grants", config);
        if (r.status() != 201) throw new IllegalStateException("could not create grant " + clientId + " -> " + audience + ": " + r);
        return r.createdId();
    }

    /** Every settings key: the component endpoint merges config on update, so absent keys are sent empty. */
    public static final List<String> SETTINGS_KEYS = List.of("default_audience", "error_style", "default_per_hour",
            "default_per_day", "default_enforce");

    /** Creates or replaces the realm's M2M settings (the realm-settings tab component); keys not given are cleared. */
    public void putSettings(Map<String, ?> given) {
        Map<String, Object> config = new LinkedHashMap<>();
        SETTINGS_KEYS.forEach(k -> config.put(k, ""));
        config.putAll(given);
        HttpResult list = get("/components?type=" + TAB_TYPE);
        for (JsonNode c : list.json()) {
            if ("m2m-settings".equals(c.path("providerId").asText())) {
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("id", c.get("id").asText());
                rep.put("name", "m2m-settings");
                rep.put("providerId", "m2m-settings");
                rep.put("providerType", TAB_TYPE);
                rep.put("parentId", id());
                rep.put("config", componentConfig(config));
                HttpResult r = put("/components/" + c.get("id").asText(), rep);
                if (r.status() != 204) throw new IllegalStateException("settings: " + r);
                return;
            }
        }
        HttpResult r = postComponent(TAB_TYPE, "m2m-settings", config);
        if (r.status() != 201) throw new IllegalStateException("settings: " + r);
    }

    /** Adds a key provider component, e.g. ("ecdsa-generated", {"ecdsaEllipticCurveKey": "P-256"}). */
    public void addKeyProvider(String providerId, Map<String, ?> config) {
        Map<String, Object> cfg = new LinkedHashMap<>(config);
        cfg.putIfAbsent("priority", "100");
        HttpResult r = postComponent("org.keycloak.keys.KeyProvider", providerId, cfg);
        if (r.status() != 201) throw new IllegalStateException("key provider " + providerId + ": " + r);
    }

    /** Id of the client's service-account user: the {@code sub} of its tokens. */
    public String serviceAccountUserId(Client client) {
        HttpResult r = get("/clients/" + client.id() + "/service-account-user");
        if (r.status() != 200) throw new IllegalStateException("service account: " + r);
        return r.json().get("id").asText();
    }

    // ---- token endpoint

    /** client_credentials with client_secret_post; extra params are name/value pairs (names may repeat). */
    public HttpResult clientCredentials(Client client, String... params) {
        List<String[]> form = new ArrayList<>(Http.pairs("grant_type", "client_credentials",
                "client_id", client.clientId(), "client_secret", client.secret()));
        form.addAll(Http.pairs(params));
        return Http.postForm(tokenUrl(), Map.of(), form);
    }

    /** client_credentials with client_secret_basic. */
    public HttpResult clientCredentialsBasic(Client client, String... params) {
        List<String[]> form = new ArrayList<>(Http.pairs("grant_type", "client_credentials"));
        form.addAll(Http.pairs(params));
        String basic = Base64.getEncoder().encodeToString(
                (Http.enc(client.clientId()) + ":" + Http.enc(client.secret())).getBytes(StandardCharsets.UTF_8));
        return Http.postForm(tokenUrl(), Map.of("Authorization", "Basic " + basic), form);
    }

    /** Raw form POST to the token endpoint. */
    public HttpResult tokenRequest(Map<String, String> headers, List<String[]> form) {
        return Http.postForm(tokenUrl(), headers, form);
    }

    /** Events of this realm, newest first, as the admin REST API returns them. */
    public JsonNode events(String query) {
        HttpResult r = get("/events" + (query == null || query.isEmpty() ? "" : "?" + query));
        if (r.status() != 200) throw new IllegalStateException("events: " + r);
        return r.json();
    }

    public JsonNode adminEvents(String query) {
        HttpResult r = get("/admin-events" + (query == null || query.isEmpty() ? "" : "?" + query));
        if (r.status() != 200) throw new IllegalStateException("admin events: " + r);
        return r.json();
    }

    @Override
    public void close() {
        admin.delete(base());
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

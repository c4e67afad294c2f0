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

    // ---- organizations

    /** Turns Keycloak's organizations on for this realm. */
    public void enableOrganizations() {
        HttpResult r = put("", Map.of("organizationsEnabled", true));
        if (r.status() != 204) throw new IllegalStateException("could not enable organizations: " + r);
    }

    /** An enabled organization with the domain {@code <alias>.example.com}; returns its id. */
    public String createOrganization(String name, String alias) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", name);
        rep.put("alias", alias);
        rep.put("enabled", true);
        rep.put("domains", List.of(Map.of("name", alias + ".example.com")));
        HttpResult r = post("/organizations", rep);
        if (r.status() != 201) throw new IllegalStateException("could not create organization " + alias + ": " + r);
        return r.createdId();
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

    /**
     * An API through the admin REST API; scopes as value/description pairs; {@code extra}: token_lifetime,
     * signing_alg, token_dialect, client_policy. Returns the API's id.
     */
    public String createApi(String name, String identifier, Map<String, String> scopes, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("identifier", identifier);
        List<Map<String, String>> list = new ArrayList<>();
        scopes.forEach((k, v) -> list.add(Map.of("value", k, "description", v)));
        body.put("scopes", list);
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (k.equals("client_policy")) body.put("subject_type_authorization", Map.of("client", Map.of("policy", v)));
                else if (k.equals("token_lifetime")) body.put(k, Integer.valueOf(String.valueOf(v)));
                else body.put(k, v);
            });
        }
        HttpResult r = post("/m2m/resource-servers", body);
        if (r.status() != 201) throw new IllegalStateException("could not create API " + identifier + ": " + r);
        return r.json().get("id").asText();
    }

    /** A client grant through the admin REST API. Returns its id. */
    public String createGrant(String clientId, String audience, List<String> scopes, boolean allowAll) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put("audience", audience);
        body.put("scope", scopes);
        body.put("allow_all_scopes", allowAll);
        HttpResult r = post("/m2m/client-grants", body);
        if (r.status() != 201) throw new IllegalStateException("could not create grant " + clientId + " -> " + audience + ": " + r);
        return r.json().get("id").asText();
    }

    /**
     * Replaces the realm's M2M settings through the admin REST API; keys as in 0.1.x's settings component
     * (default_audience, error_style, default_per_hour, default_per_day, default_enforce), keys not given are reset.
     */
    public void putSettings(Map<String, ?> given) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("default_audience", blankToNull(given.get("default_audience")));
        body.put("error_style", given.containsKey("error_style") ? given.get("error_style") : "rfc");
        Object perHour = blankToNull(given.get("default_per_hour"));
        Object perDay = blankToNull(given.get("default_per_day"));
        if (perHour == null && perDay == null) {
            body.put("default_token_quota", null);
        } else {
            Map<String, Object> limits = new LinkedHashMap<>();
            if (perHour != null) limits.put("per_hour", Integer.valueOf(String.valueOf(perHour)));
            if (perDay != null) limits.put("per_day", Integer.valueOf(String.valueOf(perDay)));
            Object enforce = blankToNull(given.get("default_enforce"));
            if (enforce != null) limits.put("enforce", Boolean.valueOf(String.valueOf(enforce)));
            body.put("default_token_quota", Map.of("clients", Map.of("client_credentials", limits)));
        }
        HttpResult r = patch("/m2m/settings", body);
        if (r.status() != 200) throw new IllegalStateException("settings: " + r);
    }

    private static Object blankToNull(Object v) {
        return v == null || String.valueOf(v).isBlank() ? null : v;
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

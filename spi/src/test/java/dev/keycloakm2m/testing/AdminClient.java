package dev.keycloakm2m.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keycloak's admin REST API with a bearer token, the way scripts and kcadm use it. Tokens are fetched with the
 * password grant of {@code admin-cli} in the user's realm and renewed before they expire.
 */
public final class AdminClient {

    private final String baseUrl;
    private final String realm;
    private final String username;
    private final String password;
    private String token;
    private Instant renewAt = Instant.EPOCH;

    public AdminClient(String baseUrl, String realm, String username, String password) {
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.username = username;
        this.password = password;
    }

    public static AdminClient master(KeycloakServer server) {
        return new AdminClient(server.baseUrl(), "master", KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    public synchronized String token() {
        if (token == null || Instant.now().isAfter(renewAt)) {
            Instant sent = Instant.now();
            HttpResult r = Http.postForm(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token", Map.of(),
                    Http.pairs("grant_type", "password", "client_id", "admin-cli", "username", username, "password", password));
            if (r.status() != 200) {
                throw new IllegalStateException("admin login of " + username + "@" + realm + " failed: " + r);
            }
            JsonNode json = r.json();
            token = json.get("access_token").asText();
            // renewed at half its lifetime, counted from the request: on a busy machine a request may wait many
            // seconds before Keycloak checks its token (the master realm's admin tokens live 60 s)
            renewAt = sent.plusSeconds(Math.max(5, json.get("expires_in").asLong() / 2));
        }
        return token;
    }

    public HttpResult get(String path) {
        return call("GET", path, null);
    }

    public HttpResult delete(String path) {
        return call("DELETE", path, null);
    }

    public HttpResult post(String path, Object body) {
        return call("POST", path, body);
    }

    public HttpResult put(String path, Object body) {
        return call("PUT", path, body);
    }

    public HttpResult patch(String path, Object body) {
        return call("PATCH", path, body);
    }

    /** {@code path} is absolute from the server root, e.g. {@code /admin/realms/x}; a String body is sent as is. */
    public HttpResult call(String method, String path, Object body) {
        HttpResult r = callOnce(method, path, body);
        if (r.status() == 401) {
            // the server may have restarted and lost the admin session: log in again once
            synchronized (this) {
                token = null;
            }
            r = callOnce(method, path, body);
        }
        return r;
    }

    private HttpResult callOnce(String method, String path, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token());
        headers.put("Accept", "application/json");
        String payload = null;
        if (body != null) {
            headers.put("Content-Type", "application/json");
            payload = body instanceof String s ? s : Http.json(body);
        }
        return Http.send(method, baseUrl + path, headers, payload);
    }

    public String baseUrl() {
        return baseUrl;
    }
}

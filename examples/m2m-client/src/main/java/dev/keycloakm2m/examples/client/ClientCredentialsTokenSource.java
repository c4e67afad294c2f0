package dev.keycloakm2m.examples.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Access tokens for one API from Keycloak's token endpoint ({@code grant_type=client_credentials} with
 * {@code audience}), cached and reused until shortly before {@code expires_in} runs out. One token per lifetime
 * instead of one per call is what keeps an M2M app fast and inside its token quota. Thread-safe.
 */
public final class ClientCredentialsTokenSource {

    /**
     * @param tokenEndpoint the realm's token endpoint
     * @param clientId      the confidential client's id
     * @param clientSecret  its secret (sent with HTTP Basic, RFC 6749 section 2.3.1)
     * @param audience      the API identifier the token is for
     * @param scope         space-separated scopes to ask for, or null for every granted scope
     * @param refreshMargin how long before expiry a new token is fetched (at most; never more than a tenth of the lifetime)
     * @param clock         the clock expiry is judged by
     */
    public record Config(URI tokenEndpoint, String clientId, String clientSecret, String audience, String scope,
                         Duration refreshMargin, Clock clock) {

        public Config withClock(Clock clock) {
            return new Config(tokenEndpoint, clientId, clientSecret, audience, scope, refreshMargin, clock);
        }
    }

    /** The token endpoint refused the request: HTTP status, OAuth {@code error} and {@code error_description}. */
    public static final class TokenRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String error;

        TokenRequestException(int status, String error, String description) {
            super("HTTP " + status + " " + error + (description == null ? "" : ": " + description));
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    private final Config config;
    private final HttpClient http;
    private String token;
    private Instant renewAt = Instant.MIN;
    private int requests;

    public ClientCredentialsTokenSource(Config config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** The cached token while it has more than the refresh margin to live; otherwise a new one. */
    public synchronized String accessToken() throws IOException, InterruptedException, TokenRequestException {
        if (token == null || !config.clock().instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** Forgets the cached token, e.g. after the API answered 401 {@code invalid_token}. */
    public synchronized void invalidate() {
        token = null;
    }

    /** How many times this source asked the token endpoint. */
    public synchronized int tokenRequests() {
        return requests;
    }

    private void fetch() throws IOException, InterruptedException, TokenRequestException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials&audience=").append(enc(config.audience()));
        if (config.scope() != null && !config.scope().isBlank()) form.append("&scope=").append(enc(config.scope()));
        String basic = Base64.getEncoder().encodeToString(
                (enc(config.clientId()) + ":" + enc(config.clientSecret())).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(config.tokenEndpoint())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        Instant sent = config.clock().instant();
        requests++;
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = parse(response.body());
        if (response.statusCode() != 200) {
            throw new TokenRequestException(response.statusCode(), string(json, "error", "unknown_error"),
                    string(json, "error_description", null));
        }
        String accessToken = string(json, "access_token", null);
        if (accessToken == null || !"bearer".equalsIgnoreCase(string(json, "token_type", ""))) {
            throw new TokenRequestException(response.statusCode(), "invalid_response", "no bearer access_token in the response");
        }
        token = accessToken;
        // expiry counts from when the request was sent; without expires_in the token is used for this call only
        long expiresIn = json.get("expires_in") instanceof Number n ? n.longValue() : 0;
        Duration margin = min(config.refreshMargin(), Duration.ofSeconds(expiresIn / 10));
        renewAt = sent.plusSeconds(expiresIn).minus(margin);
    }

    private static Map<String, Object> parse(String body) {
        try {
            return JSONObjectUtils.parse(body == null ? "" : body);
        } catch (ParseException e) {
            return Map.of();
        }
    }

    private static String string(Map<String, Object> json, String key, String fallback) {
        return json.get(key) instanceof String s ? s : fallback;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package dev.keycloakm2m.examples.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Caching and error handling against a stand-in token endpoint and API; the real-server counterpart is QuickstartIT.
 */
class ClientCredentialsTokenSourceTest {

    /** One recorded token request: Authorization header and form body. */
    record Request(String authorization, String body) {
    }

    HttpServer endpoint;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String response = "";
    final List<String> apiStatuses = new CopyOnWriteArrayList<>();
    final List<String> apiTokens = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/token", ex -> {
            requests.add(new Request(ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = response.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        endpoint.createContext("/orders", ex -> {
            apiTokens.add(ex.getRequestHeaders().getFirst("Authorization"));
            String[] next = apiStatuses.remove(0).split(" ", 2);
            if (next.length > 1) ex.getResponseHeaders().set("WWW-Authenticate", next[1]);
            ex.sendResponseHeaders(Integer.parseInt(next[0]), -1);
            ex.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    ClientCredentialsTokenSource source(String clientId, String secret, String scope) {
        URI uri = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/token");
        return new ClientCredentialsTokenSource(new ClientCredentialsTokenSource.Config(uri, clientId, secret,
                "https://api.example.com/orders", scope, Duration.ofSeconds(60), clock), HttpClient.newHttpClient());
    }

    void issue(String token, long expiresIn) {
        status = 200;
        response = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
    }

    @Test
    @DisplayName("sends client_credentials with the audience and HTTP Basic client authentication (form-encoded id and secret)")
    void request() throws Exception {
        issue("t1", 3600);
        source("orders sync", "s3cr%t:x", "read:orders write:orders").accessToken();
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.body()).isEqualTo("grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com%2Forders"
                    + "&scope=read%3Aorders+write%3Aorders");
            assertThat(new String(java.util.Base64.getDecoder().decode(r.authorization().substring("Basic ".length())),
                    StandardCharsets.UTF_8)).isEqualTo("orders+sync:s3cr%25t%3Ax");
        });
    }

    @Test
    @DisplayName("reuses the token until 60 s before expires_in, then fetches a new one")
    void caches() throws Exception {
        ClientCredentialsTokenSource tokens = source("c", "s", null);
        issue("t1", 3600);
        assertThat(tokens.accessToken()).isEqualTo("t1");
        issue("t2", 3600);
        clock.advance(Duration.ofSeconds(3600 - 61));
        assertThat(tokens.accessToken()).isEqualTo("t1");
        assertThat(tokens.tokenRequests()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.accessToken()).isEqualTo("t2");
        assertThat(tokens.tokenRequests()).isEqualTo(2);
        assertThat(requests).hasSize(2);
    }

    @Test
    @DisplayName("for short lifetimes the margin is a tenth of the lifetime: a 60 s token is reused for 54 s")
    void shortLifetime() throws Exception {
        ClientCredentialsTokenSource tokens = source("c", "s", null);
        issue("t1", 60);
        tokens.accessToken();
        clock.advance(Duration.ofSeconds(53));
        assertThat(tokens.accessToken()).isEqualTo("t1");
        issue("t2", 60);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.accessToken()).isEqualTo("t2");
    }

    @Test
    @DisplayName("invalidate() drops the cached token; without expires_in a token is never reused")
    void invalidateAndNoExpiry() throws Exception {
        ClientCredentialsTokenSource tokens = source("c", "s", null);
        issue("t1", 3600);
        tokens.accessToken();
        tokens.invalidate();
        issue("t2", 3600);
        assertThat(tokens.accessToken()).isEqualTo("t2");

        ClientCredentialsTokenSource noExpiry = source("c", "s", null);
        response = "{\"access_token\":\"t3\",\"token_type\":\"bearer\"}";
        noExpiry.accessToken();
        noExpiry.accessToken();
        assertThat(noExpiry.tokenRequests()).isEqualTo(2);
    }

    @Test
    @DisplayName("a refusal surfaces as TokenRequestException with status, OAuth error and description")
    void refusal() {
        status = 400;
        response = "{\"error\":\"invalid_target\",\"error_description\":\"Client \\\"c\\\" is not authorized to access \\\"x\\\"\"}";
        assertThatThrownBy(() -> source("c", "s", null).accessToken())
                .isInstanceOfSatisfying(ClientCredentialsTokenSource.TokenRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_target");
                    assertThat(e.getMessage()).isEqualTo("HTTP 400 invalid_target: Client \"c\" is not authorized to access \"x\"");
                });
    }

    @Test
    @DisplayName("a 200 without a bearer access_token is refused too")
    void notBearer() {
        response = "{\"access_token\":\"t\",\"token_type\":\"DPoP\",\"expires_in\":60}";
        assertThatThrownBy(() -> source("c", "s", null).accessToken())
                .isInstanceOf(ClientCredentialsTokenSource.TokenRequestException.class)
                .hasMessageContaining("invalid_response");
    }

    @Test
    @DisplayName("OrdersClient: after 401 invalid_token it fetches a new token and retries once; 403 is returned as is")
    void retry() throws Exception {
        ClientCredentialsTokenSource tokens = source("c", "s", null);
        OrdersClient client = new OrdersClient(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/"),
                tokens, HttpClient.newHttpClient());
        issue("t1", 3600);
        apiStatuses.addAll(List.of("401 Bearer error=\"invalid_token\"", "200"));
        tokens.accessToken();
        issue("t2", 3600);
        assertThat(client.listOrders().status()).isEqualTo(200);
        assertThat(apiTokens).containsExactly("Bearer t1", "Bearer t2");

        apiStatuses.addAll(List.of("403 Bearer error=\"insufficient_scope\", scope=\"write:orders\"", "401 Bearer"));
        OrdersClient.Response denied = client.createOrder("x", 1);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.wwwAuthenticate()).isEqualTo("Bearer error=\"insufficient_scope\", scope=\"write:orders\"");
        assertThat(client.listOrders().status()).as("401 without invalid_token: no retry").isEqualTo(401);
        assertThat(tokens.tokenRequests()).isEqualTo(2);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

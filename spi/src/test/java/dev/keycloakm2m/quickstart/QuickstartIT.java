package dev.keycloakm2m.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.examples.client.ClientCredentialsTokenSource;
import dev.keycloakm2m.examples.client.M2mClientApp;
import dev.keycloakm2m.examples.client.OrdersClient;
import dev.keycloakm2m.examples.orders.OrdersApi;
import dev.keycloakm2m.examples.orders.OrdersApiConfig;
import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;

/**
 * The README quickstart end to end against the real server: the example realm {@code realm-config/m2m-demo-realm.json}
 * imported as it is, the example orders API ({@code examples/orders-api}) validating the realm's tokens, and the
 * example M2M client ({@code examples/m2m-client}) calling it. This class owns the realm {@code m2m-demo}.
 */
@ExtendWith(KeycloakExtension.class)
@DisplayName("Quickstart: example realm, orders API and M2M client")
class QuickstartIT {

    static final String REALM = "m2m-demo";
    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "https://api.example.com/billing";
    static final TestRealm.Client REPORTING = new TestRealm.Client("orders-reporting", "demo-only-orders-reporting-secret", null);
    static final TestRealm.Client SYNC = new TestRealm.Client("orders-sync", "demo-only-orders-sync-secret", null);
    static final TestRealm.Client NO_GRANT = new TestRealm.Client("audit-exporter", "demo-only-audit-exporter-secret", null);

    static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";
    static final String INVALID_TOKEN_BODY = "{\"error\":\"invalid_token\"}";

    static TestRealm demo;
    static OrdersApi api;

    @BeforeAll
    static void importExampleRealm(KeycloakServer server, AdminClient admin) throws IOException {
        // the realm name is fixed by the file: drop a copy an interrupted run may have left on a kept server
        admin.delete("/admin/realms/" + REALM);
        String folder = Objects.requireNonNull(System.getProperty("m2m.realm-config"),
                "system property m2m.realm-config (the repository's realm-config/) is set by the Failsafe configuration");
        String json = Files.readString(Path.of(folder, "m2m-demo-realm.json"));
        demo = TestRealm.importRealm(server, admin, json);
        api = OrdersApi.start(ordersApiConfig(Clock.systemUTC()));
    }

    @AfterAll
    static void removeExampleRealm() {
        if (api != null) api.close();
        if (demo != null) demo.close();
    }

    /** The README's configuration, pointed at the test server and a free port. */
    static OrdersApiConfig ordersApiConfig(Clock clock) {
        return OrdersApiConfig.fromEnvironment(Map.of("ORDERS_API_ISSUER", demo.issuer(), "ORDERS_API_HOST", "127.0.0.1",
                "ORDERS_API_PORT", "0")).withClock(clock);
    }

    // ---- helpers: what a client and the API exchange

    static JsonNode tokenResponse(TestRealm.Client client, String... params) {
        HttpResult r = demo.clientCredentials(client, params);
        assertThat(r.status()).as("token response %s", r).isEqualTo(200);
        return r.json();
    }

    static String token(TestRealm.Client client, String audience) {
        return tokenResponse(client, "audience", audience).get("access_token").asText();
    }

    static HttpResult get(OrdersApi target, String token) {
        return Http.get(target.uri() + OrdersApi.PATH, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    static HttpResult post(OrdersApi target, String token, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (token != null) headers.put("Authorization", "Bearer " + token);
        return Http.send("POST", target.uri() + OrdersApi.PATH, headers, body);
    }

    static void assertInvalidToken(HttpResult r) {
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).hasValue(INVALID_TOKEN);
        assertThat(r.body()).isEqualTo(INVALID_TOKEN_BODY);
    }

    static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the three steps

    @Test
    @DisplayName("step 1: the imported realm holds both APIs and the two grants of the example file, normalized")
    void exampleRealmContents() {
        Map<String, JsonNode> apis = new LinkedHashMap<>();
        for (JsonNode a : demo.get("/m2m/resource-servers").json()) apis.put(a.get("identifier").asText(), a);
        Map<String, JsonNode> grants = new LinkedHashMap<>();
        for (JsonNode g : demo.get("/m2m/client-grants").json()) grants.put(g.get("client_id").asText(), g);
        assertThat(apis).containsOnlyKeys(ORDERS, BILLING);
        assertThat(apis.get(ORDERS).get("token_lifetime").asInt()).isEqualTo(3600);
        assertThat(apis.get(ORDERS).get("token_dialect").asText()).isEqualTo("rfc9068_profile");
        assertThat(apis.get(ORDERS).get("scopes")).hasSize(2);
        // the billing API leaves lifetime, algorithm and client policy out: the defaults are filled in on import
        assertThat(apis.get(BILLING).get("token_lifetime").asInt()).isEqualTo(86400);
        assertThat(apis.get(BILLING).get("signing_alg").asText()).isEqualTo("RS256");
        assertThat(apis.get(BILLING).get("token_dialect").asText()).isEqualTo("rfc9068_profile");
        assertThat(apis.get(BILLING).at("/subject_type_authorization/client/policy").asText()).isEqualTo("require_client_grant");
        assertThat(grants).containsOnlyKeys("orders-reporting", "orders-sync");
        assertThat(strings(grants.get("orders-reporting").get("scope"))).containsExactly("read:orders");
        // imported into the m2m tables: no component of the file is left in the realm
        assertThat(demo.get("/components?type=" + TestRealm.PAGE_TYPE).json().findValuesAsText("providerId"))
                .noneMatch(id -> id.startsWith("m2m-"));
        assertThat(strings(grants.get("orders-sync").get("scope"))).containsExactlyInAnyOrder("read:orders", "write:orders");
    }

    @Test
    @DisplayName("steps 2 and 3: orders-reporting gets an RFC 9068 token for the orders API and lists the orders (200)")
    void readOrders() throws Exception {
        JsonNode response = tokenResponse(REPORTING, "audience", ORDERS);
        assertThat(response.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(response.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(response.get("scope").asText()).isEqualTo("read:orders");
        SignedJWT jwt = parse(response.get("access_token").asText());
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(ORDERS);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("orders-reporting");

        HttpResult r = get(api, response.get("access_token").asText());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("orders").findValuesAsText("item")).contains("coffee beans, 1 kg", "paper cups");
    }

    @Test
    @DisplayName("a token with only read:orders cannot create orders: 403 insufficient_scope naming write:orders")
    void insufficientScope() {
        HttpResult r = post(api, token(REPORTING, ORDERS), "{\"item\":\"pens\",\"quantity\":10}");
        assertThat(r.status()).as("%s", r).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\", scope=\"write:orders\"");
        assertThat(r.json().get("error").asText()).isEqualTo("insufficient_scope");
        assertThat(r.json().get("scope").asText()).isEqualTo("write:orders");
    }

    @Test
    @DisplayName("orders-sync carries the demo's per-hour quota of 100: every token response says how many are left")
    void quotaHeaders() {
        HttpResult first = demo.clientCredentials(SYNC, "audience", ORDERS);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.requireHeader("X-RateLimit-Limit")).isEqualTo("100");
        assertThat(first.requireHeader("RateLimit-Policy")).isEqualTo("\"per_hour\";q=100;w=3600");
        long left = Long.parseLong(first.requireHeader("X-RateLimit-Remaining"));
        assertThat(left).as("this token counted: at most 99 of 100 left").isBetween(0L, 99L);
        HttpResult second = demo.clientCredentials(SYNC, "audience", ORDERS);
        assertThat(Long.parseLong(second.requireHeader("X-RateLimit-Remaining"))).isEqualTo(left - 1);
        assertThat(demo.clientCredentials(REPORTING, "audience", ORDERS).header("X-RateLimit-Limit")).as("no quota, no header").isEmpty();
    }

    @Test
    @DisplayName("orders-sync, granted both orders scopes, creates an order (201, created by orders-sync)")
    void createOrder() {
        JsonNode response = tokenResponse(SYNC, "audience", ORDERS);
        assertThat(response.get("scope").asText()).isEqualTo("read:orders write:orders");
        HttpResult r = post(api, response.get("access_token").asText(), "{\"item\":\"pens\",\"quantity\":10}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("item").asText()).isEqualTo("pens");
        assertThat(r.json().get("created_by").asText()).isEqualTo("orders-sync");
    }

    @Test
    @DisplayName("the client without a grant gets no token for the orders API (400 invalid_target)")
    void noGrant() {
        HttpResult r = demo.clientCredentials(NO_GRANT, "audience", ORDERS);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_target");
        assertThat(r.json().get("error_description").asText())
                .isEqualTo("Client \"audit-exporter\" is not authorized to access \"https://api.example.com/orders\"");
    }

    // ---- tokens the orders API must refuse

    @Nested
    @DisplayName("the orders API refuses")
    class Refusals {

        @Test
        @DisplayName("a request without token: 401 with a bare Bearer challenge (RFC 6750 3.1: no error code)")
        void noToken() {
            HttpResult r = get(api, null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).hasValue("Bearer");
        }

        @Test
        @DisplayName("a valid token for the billing API: 401 invalid_token, nothing about why")
        void billingToken() throws Exception {
            // the example realm grants nobody the billing API: grant it here, for this test only
            String grant = demo.createGrant("orders-sync", BILLING, List.of("read:invoices"), false);
            try {
                String billing = token(SYNC, BILLING);
                // same realm, key, algorithm and typ as an orders token: only aud tells them apart
                SignedJWT jwt = parse(billing);
                assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
                assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(BILLING);
                assertInvalidToken(get(api, billing));
                assertInvalidToken(post(api, billing, "{\"item\":\"pens\",\"quantity\":1}"));
            } finally {
                assertThat(demo.delete("/m2m/client-grants/" + grant).status()).isEqualTo(204);
            }
        }

        @Test
        @DisplayName("a Keycloak token requested without audience: 401 invalid_token")
        void vanillaToken() {
            assertInvalidToken(get(api, tokenResponse(REPORTING).get("access_token").asText()));
        }

        @Test
        @DisplayName("an expired token: 401 invalid_token; one second earlier the same token is accepted")
        void expired() throws Exception {
            // Honest expiry without waiting: the resource server judges exp against its own clock (plus 30 s skew),
            // so an API instance whose clock stands at exp + 30 s sees exactly what a real expiry looks like. The
            // control instance one second earlier accepts the same token, so the 401 comes from exp and nothing else.
            String token = token(REPORTING, ORDERS);
            Instant exp = parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
            try (OrdersApi justValid = OrdersApi.start(ordersApiConfig(Clock.fixed(exp.plusSeconds(29), ZoneOffset.UTC)));
                 OrdersApi expired = OrdersApi.start(ordersApiConfig(Clock.fixed(exp.plusSeconds(30), ZoneOffset.UTC)))) {
                assertThat(get(justValid, token).status()).isEqualTo(200);
                assertInvalidToken(get(expired, token));
            }
        }

        @Test
        @DisplayName("a token whose payload was changed to add write:orders: 401 invalid_token")
        void tamperedPayload() throws Exception {
            String token = token(REPORTING, ORDERS);
            String[] parts = token.split("\\.");
            JWTClaimsSet claims = new JWTClaimsSet.Builder(parse(token).getJWTClaimsSet()).claim("scope", "read:orders write:orders").build();
            String forged = parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];
            assertInvalidToken(post(api, forged, "{\"item\":\"pens\",\"quantity\":1}"));
            assertInvalidToken(get(api, forged));
        }

        @Test
        @DisplayName("a token with a changed signature: 401 invalid_token")
        void tamperedSignature() {
            String token = token(REPORTING, ORDERS);
            int i = token.lastIndexOf('.') + 5;
            String forged = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertInvalidToken(get(api, forged));
        }

        @Test
        @DisplayName("the realm's claims re-signed with alg none, with HS256 over the realm's public key, or with another key under the realm's kid: 401")
        void forgedSignatures() throws Exception {
            SignedJWT real = parse(token(SYNC, ORDERS));
            JWTClaimsSet claims = real.getJWTClaimsSet();
            String kid = real.getHeader().getKeyID();

            String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + Base64URL.encode(claims.toString()) + ".";
            assertInvalidToken(get(api, none));

            RSAKey realmKey = (RSAKey) JWKSet.load(URI.create(demo.jwksUrl()).toURL()).getKeyByKeyId(kid);
            SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).keyID(kid).build(), claims);
            hs.sign(new MACSigner(realmKey.toRSAPublicKey().getEncoded()));
            assertInvalidToken(get(api, hs.serialize()));

            RSAKey attacker = new RSAKeyGenerator(2048).keyID(kid).generate();
            SignedJWT other = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID(kid).build(), claims);
            other.sign(new RSASSASigner(attacker));
            assertInvalidToken(get(api, other.serialize()));
        }
    }

    // ---- the API follows key rotation

    @Test
    @DisplayName("key rotation: after the realm gets a new active key, tokens with the new kid are accepted (JWKS re-fetched)")
    void keyRotation() throws Exception {
        try (OrdersApi fresh = OrdersApi.start(ordersApiConfig(Clock.systemUTC()))) {
            String before = token(REPORTING, ORDERS);
            assertThat(get(fresh, before).status()).as("JWKS fetched and cached").isEqualTo(200);

            Map<String, Object> config = new LinkedHashMap<>();
            config.put("priority", "500");
            config.put("algorithm", "RS256");
            config.put("keySize", "2048");
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("name", "rotated-rsa");
            rep.put("providerId", "rsa-generated");
            rep.put("providerType", "org.keycloak.keys.KeyProvider");
            rep.put("parentId", demo.id());
            rep.put("config", TestRealm.componentConfig(config));
            HttpResult created = demo.post("/components", rep);
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            try {
                String after = token(REPORTING, ORDERS);
                assertThat(parse(after).getHeader().getKeyID()).as("signed by the new key").isNotEqualTo(parse(before).getHeader().getKeyID());
                assertThat(get(fresh, after).status()).isEqualTo(200);
                assertThat(get(fresh, before).status()).as("the old key is still published").isEqualTo(200);
            } finally {
                demo.delete("/components/" + created.createdId());
            }
        }
    }

    // ---- the example client

    @Test
    @DisplayName("the M2M client reuses its cached token: one token request (one CLIENT_LOGIN event) for three API calls")
    void clientCachesToken() throws Exception {
        AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
        Clock clock = new Clock() {
            @Override public Instant instant() { return Instant.now().plus(ahead.get()); }
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
        };
        HttpClient http = HttpClient.newHttpClient();
        ClientCredentialsTokenSource tokens = new ClientCredentialsTokenSource(new ClientCredentialsTokenSource.Config(
                URI.create(demo.tokenUrl()), REPORTING.clientId(), REPORTING.secret(), ORDERS, null, Duration.ofSeconds(60), clock), http);
        OrdersClient client = new OrdersClient(api.uri(), tokens, http);
        int loginsBefore = clientLogins(REPORTING);

        assertThat(client.listOrders().status()).isEqualTo(200);
        assertThat(client.createOrder("pens", 1).status()).isEqualTo(403);
        assertThat(client.listOrders().status()).isEqualTo(200);
        assertThat(tokens.tokenRequests()).isEqualTo(1);
        assertThat(clientLogins(REPORTING)).as("tokens issued by Keycloak").isEqualTo(loginsBefore + 1);

        ahead.set(Duration.ofSeconds(3600 - 60)); // 60 s before expires_in: time for a new token
        assertThat(client.listOrders().status()).isEqualTo(200);
        assertThat(tokens.tokenRequests()).isEqualTo(2);
        assertThat(clientLogins(REPORTING)).isEqualTo(loginsBefore + 2);
    }

    @Test
    @DisplayName("the M2M client's main prints what the README shows: 200, 403 insufficient_scope, 200 and one token request")
    void clientMain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("M2M_CLIENT_ID", REPORTING.clientId(), "M2M_CLIENT_SECRET", REPORTING.secret(),
                "M2M_TOKEN_ENDPOINT", demo.tokenUrl(), "ORDERS_API_URL", api.uri().toString());
        int exit = M2mClientApp.run(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", printed, err).isZero();
        assertThat(printed.lines().toList()).satisfiesExactly(
                l -> assertThat(l).isEqualTo("orders-reporting -> " + ORDERS + " (token endpoint " + demo.tokenUrl() + ")"),
                l -> assertThat(l).startsWith("GET  /orders -> 200 {\"orders\":["),
                l -> assertThat(l).isEqualTo("POST /orders -> 403 WWW-Authenticate: Bearer error=\"insufficient_scope\", "
                        + "scope=\"write:orders\" {\"error\":\"insufficient_scope\",\"scope\":\"write:orders\"}"),
                l -> assertThat(l).startsWith("GET  /orders -> 200 {\"orders\":["),
                l -> assertThat(l).isEqualTo("3 API calls, 1 token request(s): the cached token is reused until shortly before it expires"));
    }

    @Test
    @DisplayName("the M2M client without a grant reports the refusal and exits 1")
    void clientMainRefused() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("M2M_CLIENT_ID", NO_GRANT.clientId(), "M2M_CLIENT_SECRET", NO_GRANT.secret(),
                "M2M_TOKEN_ENDPOINT", demo.tokenUrl(), "ORDERS_API_URL", api.uri().toString());
        int exit = M2mClientApp.run(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).trim()).isEqualTo("m2m-client: the token request was refused: HTTP 400 "
                + "invalid_target: Client \"audit-exporter\" is not authorized to access \"https://api.example.com/orders\"");
    }

    static int clientLogins(TestRealm.Client client) {
        return demo.events("client=" + client.clientId() + "&type=CLIENT_LOGIN&max=1000").size();
    }

    static List<JsonNode> listOf(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static List<String> strings(JsonNode array) {
        return listOf(array).stream().map(JsonNode::asText).toList();
    }
}

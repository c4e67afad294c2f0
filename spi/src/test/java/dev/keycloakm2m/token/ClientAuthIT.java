package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 3, point 10: every client authentication method gets the same API token; Keycloak authenticates first. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("client authentication methods")
class ClientAuthIT {

    static final String ORDERS = "https://api.example.com/orders";

    TestRealm realm;
    Client secretClient;
    RSAKey jwtKey;

    @BeforeAll
    void setUp(TestRealm realm) throws Exception {
        this.realm = realm;
        realm.createApi("Orders", ORDERS, Map.of("read:orders", "Read orders"), null);
        secretClient = realm.createClient("secret-client");
        realm.createGrant("secret-client", ORDERS, List.of("read:orders"), false);

        jwtKey = new RSAKeyGenerator(2048).keyID("jwt-client-key").keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).generate();
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", "jwt-client");
        rep.put("publicClient", false);
        rep.put("serviceAccountsEnabled", true);
        rep.put("standardFlowEnabled", false);
        rep.put("clientAuthenticatorType", "client-jwt");
        rep.put("attributes", Map.of("use.jwks.string", "true",
                "jwks.string", new JWKSet(jwtKey.toPublicJWK()).toString(),
                "token.endpoint.auth.signing.alg", "RS256"));
        realm.createClient(rep);
        realm.createGrant("jwt-client", ORDERS, List.of("read:orders"), false);
    }

    void assertApiToken(HttpResult r, String azp) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Jwt t = Jwt.verified(r.json().get("access_token").asText(), realm.jwksUrl());
        assertThat(t.claim("aud")).isEqualTo(ORDERS);
        assertThat(t.string("scope")).isEqualTo("read:orders");
        assertThat(t.string("azp")).isEqualTo(azp);
    }

    @Test
    @DisplayName("client_secret_post")
    void secretPost() {
        assertApiToken(realm.clientCredentials(secretClient, "audience", ORDERS), "secret-client");
    }

    @Test
    @DisplayName("client_secret_basic")
    void secretBasic() {
        assertApiToken(realm.clientCredentialsBasic(secretClient, "audience", ORDERS), "secret-client");
    }

    @Test
    @DisplayName("private_key_jwt (signed JWT client assertion)")
    void privateKeyJwt() throws Exception {
        assertApiToken(Http.postForm(realm.tokenUrl(), Map.of(), Http.pairs(
                "grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(),
                "audience", ORDERS)), "jwt-client");
    }

    @Test
    @DisplayName("a wrong secret is refused by Keycloak's client authentication before any API check")
    void wrongSecret() {
        HttpResult r = realm.clientCredentials(new Client("secret-client", "wrong", null), "audience", "https://unknown");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized_client");
    }

    @Test
    @DisplayName("a public client is refused by Keycloak (401 unauthorized_client), whatever it asks for")
    void publicClient() {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", "public-app");
        rep.put("publicClient", true);
        realm.createClient(rep);
        HttpResult r = Http.postForm(realm.tokenUrl(), Map.of(), Http.pairs("grant_type", "client_credentials",
                "client_id", "public-app", "audience", ORDERS));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized_client");
    }

    String assertion() throws Exception {
        long now = System.currentTimeMillis();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(jwtKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("jwt-client").subject("jwt-client").audience(realm.issuer())
                        .jwtID(UUID.randomUUID().toString()).issueTime(new Date(now)).expirationTime(new Date(now + 60_000)).build());
        jwt.sign(new RSASSASigner(jwtKey));
        return jwt.serialize();
    }
}

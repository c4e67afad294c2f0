package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.GRANTS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static dev.keycloakm2m.admin.M2mRest.createGrant;
import static dev.keycloakm2m.admin.M2mRest.grant;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@DisplayName("Admin REST -> token endpoint: what REST writes, the next token request sees")
class RestToTokenRoundTripIT {

    static final String ORDERS = "https://api.example.com/orders";

    /** The access token of a 200 response, signature checked against the realm's JWKS, as a resource server does. */
    private static JWTClaimsSet verifiedClaims(TestRealm realm, HttpResult response) throws Exception {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(response.json().get("access_token").asText());
        JWKSet keys = JWKSet.load(URI.create(realm.jwksUrl()).toURL());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("signing key in the realm's JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature").isTrue();
        return jwt.getJWTClaimsSet();
    }

    @Test
    @DisplayName("create API and grant over REST, get a token, PATCH the grant's scopes, next token reflects it, DELETE the grant, next request refused")
    void roundTrip(TestRealm realm) throws Exception {
        TestRealm.Client client = realm.createClient("svc-roundtrip");
        createApi(realm, api("Orders", ORDERS, "read:orders", "write:orders"));
        String grantId = createGrant(realm, grant(client.clientId(), ORDERS, "read:orders")).get("id").asText();

        HttpResult first = realm.clientCredentials(client, "audience", ORDERS);
        JWTClaimsSet claims = verifiedClaims(realm, first);
        assertThat(claims.getAudience()).containsExactly(ORDERS);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:orders");
        assertThat(claims.getStringClaim("azp")).isEqualTo(client.clientId());
        assertThat(first.json().get("scope").asText()).isEqualTo("read:orders");

        HttpResult patched = realm.patch(GRANTS + "/" + grantId, Map.of("scope", List.of("read:orders", "write:orders")));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        claims = verifiedClaims(realm, realm.clientCredentials(client, "audience", ORDERS));
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:orders write:orders");

        assertThat(realm.delete(GRANTS + "/" + grantId).status()).isEqualTo(204);
        HttpResult refused = realm.clientCredentials(client, "audience", ORDERS);
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        JsonNode error = refused.json();
        assertThat(error.get("error").asText()).isEqualTo("invalid_target");
        assertThat(error.get("error_description").asText())
                .isEqualTo("Client \"svc-roundtrip\" is not authorized to access \"" + ORDERS + "\"");
    }

    @Test
    @DisplayName("API changes over REST reach tokens at once: token_lifetime, removed scopes, deny_all, deletion")
    void apiChanges(TestRealm realm) throws Exception {
        TestRealm.Client client = realm.createClient("svc-api-changes");
        String identifier = "urn:inventory";
        String id = createApi(realm, api("Inventory", identifier, "read", "write")).get("id").asText();
        createGrant(realm, grant(client.clientId(), identifier, "read", "write"));

        assertThat(realm.patch(APIS + "/" + id, Map.of("token_lifetime", 120)).status()).isEqualTo(200);
        HttpResult r = realm.clientCredentials(client, "audience", identifier);
        JWTClaimsSet claims = verifiedClaims(realm, r);
        assertThat(r.json().get("expires_in").asInt()).isEqualTo(120);
        assertThat((claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000).isEqualTo(120);

        assertThat(realm.patch(APIS + "/" + id, Map.of("scopes", List.of(Map.of("value", "read")))).status()).isEqualTo(200);
        assertThat(verifiedClaims(realm, realm.clientCredentials(client, "audience", identifier)).getStringClaim("scope"))
                .as("the removed scope is gone from the grant too").isEqualTo("read");
        assertThat(realm.get(GRANTS + "?client_id=" + client.clientId()).json().get(0).get("scope").toString()).isEqualTo("[\"read\"]");

        assertThat(realm.patch(APIS + "/" + id, Map.of("subject_type_authorization", Map.of("client", Map.of("policy", "deny_all"))))
                .status()).isEqualTo(200);
        assertThat(realm.clientCredentials(client, "audience", identifier).status()).isEqualTo(400);

        assertThat(realm.delete(APIS + "/" + id).status()).isEqualTo(204);
        HttpResult gone = realm.clientCredentials(client, "audience", identifier);
        assertThat(gone.status()).isEqualTo(400);
        assertThat(gone.json().get("error_description").asText()).isEqualTo("Unknown API: " + identifier);
    }
}

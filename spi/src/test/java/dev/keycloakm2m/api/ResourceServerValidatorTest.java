package dev.keycloakm2m.api;

import dev.keycloakm2m.legacy.ScopesCodec;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.TokenDialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.FakeRealm;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

class ResourceServerValidatorTest {

    private final FakeRealm realm = new FakeRealm();

    private static ResourceServerDraft draft(String name, String identifier) {
        return new ResourceServerDraft(null, name, identifier, List.of(new ApiScope("read:orders", "Read orders")), null, null, null, null);
    }

    private ValidationException refused(ResourceServerDraft d, ResourceServer existing) {
        try {
            ResourceServerValidator.validate(d, existing, realm);
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("accepted: " + d);
    }

    @Test
    @DisplayName("defaults: 86400 s, RS256, access_token dialect, require_client_grant")
    void defaults() {
        ResourceServer api = ResourceServerValidator.validate(draft("Orders", "https://api.example.com/orders"), null, realm);
        assertThat(api.tokenLifetime()).isEqualTo(86400);
        assertThat(api.signingAlg()).isEqualTo("RS256");
        assertThat(api.tokenDialect()).isEqualTo(TokenDialect.ACCESS_TOKEN);
        assertThat(api.clientPolicy()).isEqualTo(ClientPolicy.REQUIRE_CLIENT_GRANT);
        assertThat(api.scopeValues()).containsExactly("read:orders");
    }

    @Test
    @DisplayName("name: required, at most 200, no < or >, no control characters")
    void name() {
        assertThat(refused(draft(null, "x"), null).primary().field()).isEqualTo("name");
        assertThat(refused(draft("a".repeat(201), "x"), null).getMessage()).contains("at most 200");
        assertThat(refused(draft("<b>", "x"), null).getMessage()).contains("< or >");
        assertThat(refused(draft("a\u0000b", "x"), null).getMessage()).contains("control characters");
        assertThat(ResourceServerValidator.validate(draft("Bestellungen — ü 日本", "x"), null, realm).name()).isEqualTo("Bestellungen — ü 日本");
    }

    @Test
    @DisplayName("identifier: required, at most 600, no whitespace, any string, exact")
    void identifier() {
        assertThat(refused(draft("A", ""), null).primary().field()).isEqualTo("identifier");
        assertThat(refused(draft("A", "x".repeat(601)), null).getMessage()).contains("at most 600");
        assertThat(refused(draft("A", "https://a b"), null).getMessage()).contains("whitespace");
        assertThat(refused(draft("A", "https://a\tb"), null).getMessage())
                .isEqualTo("identifier must not contain control characters: \"https://a\\u0009b\"");
        assertThat(refused(draft("A", "https://a\u00a0b"), null).getMessage())
                .isEqualTo("identifier must not contain whitespace or control characters");
        assertThat(ResourceServerValidator.validate(draft("A", "orders-api"), null, realm).identifier()).isEqualTo("orders-api");
    }

    @Test
    @DisplayName("identifier unique per realm (409), compared exactly; immutable on update")
    void uniqueAndImmutable() {
        ResourceServer existing = ResourceServerValidator.validate(draft("A", "https://a/"), null, realm).withId("id-1");
        realm.api(existing);
        ValidationException dup = refused(draft("B", "https://a/"), null);
        assertThat(dup.primary().kind()).isEqualTo(Problem.Kind.CONFLICT);
        assertThat(dup.primary().message()).isEqualTo("A resource server with the same identifier already exists.");
        assertThat(ResourceServerValidator.validate(draft("B", "https://a"), null, realm).identifier()).isEqualTo("https://a");
        assertThat(ResourceServerValidator.validate(draft("A2", "https://a/"), existing, realm).name()).isEqualTo("A2");
        assertThat(refused(draft("A", "https://changed"), existing).getMessage()).contains("cannot be changed");
    }

    @Test
    @DisplayName("scopes: value 1-280 without whitespace, unique; description at most 500")
    void scopes() {
        ResourceServerDraft d = new ResourceServerDraft(null, "A", "x",
                List.of(new ApiScope("a b", ""), new ApiScope("c", "d".repeat(501)), new ApiScope("e", ""), new ApiScope("e", ""),
                        new ApiScope("x".repeat(281), "")), null, null, null, null);
        ValidationException e = refused(d, null);
        assertThat(e.problems()).extracting(Problem::field).containsOnly("scopes");
        assertThat(e.getMessage()).contains("must not contain whitespace").contains("longer than 500")
                .contains("more than once").contains("longer than 280");
    }

    @Test
    @DisplayName("an API's scopes are one row each: no limit on their total length any more (0.1.x: 4000 characters)")
    void noScopeStorageLimit() {
        List<ApiScope> many = java.util.stream.IntStream.range(0, 200).mapToObj(i -> new ApiScope("scope" + i, "d".repeat(300))).toList();
        assertThat(ResourceServerValidator.validate(new ResourceServerDraft(null, "A", "x", many, null, null, null, null), null, realm)
                .scopes()).hasSize(200);
    }

    @Test
    @DisplayName("token_lifetime between 60 and 2592000")
    void lifetime() {
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), "59", null, null, null), null).primary().field()).isEqualTo("token_lifetime");
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), "2592001", null, null, null), null).primary().field()).isEqualTo("token_lifetime");
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), "1h", null, null, null), null).primary().field()).isEqualTo("token_lifetime");
        assertThat(ResourceServerValidator.validate(new ResourceServerDraft(null, "A", "x", List.of(), "60", null, null, null), null, realm).tokenLifetime()).isEqualTo(60);
    }

    @Test
    @DisplayName("signing_alg: asymmetric only, and the realm must have an active key, named in the message")
    void signingAlg() {
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), null, "HS256", null, null), null).getMessage())
                .contains("HS256").contains("asymmetric");
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), null, "ES256", null, null), null).getMessage())
                .contains("no active ES256");
        realm.keys.add("ES256");
        assertThat(ResourceServerValidator.validate(new ResourceServerDraft(null, "A", "x", List.of(), null, "ES256", null, null), null, realm).signingAlg())
                .isEqualTo("ES256");
    }

    @Test
    @DisplayName("during a realm import the key check waits until the realm is complete")
    void lenientDuringImport() {
        realm.lenient = true;
        assertThat(ResourceServerValidator.validate(new ResourceServerDraft(null, "A", "x", List.of(), null, "ES256", null, null), null, realm).signingAlg())
                .isEqualTo("ES256");
    }

    @Test
    @DisplayName("token_dialect and client_policy: Auth0's values only")
    void enums() {
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), null, null, "jwt", null), null).getMessage()).contains("token_dialect must be one of");
        assertThat(refused(new ResourceServerDraft(null, "A", "x", List.of(), null, null, null, "allow_all"), null).getMessage()).contains("client_policy must be one of");
        ResourceServer api = ResourceServerValidator.validate(new ResourceServerDraft(null, "A", "x", List.of(), null, null, "rfc9068_profile_authz", "deny_all"), null, realm);
        assertThat(api.tokenDialect()).isEqualTo(TokenDialect.RFC9068_PROFILE_AUTHZ);
        assertThat(api.clientPolicy()).isEqualTo(ClientPolicy.DENY_ALL);
    }

    @Test
    @DisplayName("scopes round-trip through the console's Map format")
    void codec() {
        List<ApiScope> scopes = List.of(new ApiScope("read:orders", "Read \"orders\""), new ApiScope("w", ""));
        assertThat(ScopesCodec.decode(ScopesCodec.encode(scopes))).isEqualTo(scopes);
        assertThat(ScopesCodec.decode(null)).isEmpty();
        assertThatThrownBy(() -> ScopesCodec.decode("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopesCodec.decode("[{\"value\":\"x\"}]")).isInstanceOf(IllegalArgumentException.class);
    }
}

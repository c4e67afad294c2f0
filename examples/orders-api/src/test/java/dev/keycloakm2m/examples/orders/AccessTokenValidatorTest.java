package dev.keycloakm2m.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** The checks of RFC 9068 section 4 and RFC 8725 on hand-made tokens; the real-server counterpart is QuickstartIT. */
class AccessTokenValidatorTest {

    static final String ISSUER = "https://idp.test/realms/m2m-demo";
    static final String ORDERS = "https://api.example.com/orders";
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    /** What the log adds for a token whose aud lacks this API. */
    static final String HINT = " (was the token requested with audience=https://api.example.com/orders? Without it,"
            + " Keycloak issues its own access token, not one for this API)";

    static final RSAKey KEY = generate("k1");
    static final RSAKey OTHER_KEY = generate("k1");

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static OrdersApiConfig config(String dialect, Instant now) {
        return OrdersApiConfig.fromEnvironment(Map.of("ORDERS_API_ISSUER", ISSUER, "ORDERS_API_TOKEN_DIALECT", dialect))
                .withClock(Clock.fixed(now, ZoneOffset.UTC));
    }

    static AccessTokenValidator validator(String dialect, Instant now) {
        return new AccessTokenValidator(config(dialect, now), new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())));
    }

    /** A token as keycloak-m2m issues it in the RFC 9068 dialect, lifetime 3600 s, issued at NOW. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("service-account-id").audience(ORDERS)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600)))
                .jwtID("jti-1").claim("client_id", "orders-reporting").claim("scope", "read:orders");
    }

    static String sign(RSAKey key, JWSAlgorithm alg, JOSEObjectType typ, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(typ).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        return sign(KEY, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), b.build());
    }

    static String rejection(AccessTokenValidator validator, String token) {
        try {
            validator.validate(token);
        } catch (AccessTokenValidator.InvalidTokenException e) {
            return e.getMessage();
        }
        throw new AssertionError("token was accepted");
    }

    @Test
    @DisplayName("a token as keycloak-m2m issues it is accepted: subject, client and scopes are read from it")
    void accepts() throws Exception {
        AccessTokenValidator.Token t = validator("rfc9068_profile", NOW).validate(token(b -> b.claim("scope", "read:orders write:orders")));
        assertThat(t.subject()).isEqualTo("service-account-id");
        assertThat(t.clientId()).isEqualTo("orders-reporting");
        assertThat(t.scopes()).containsExactlyInAnyOrder("read:orders", "write:orders");
        assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    @DisplayName("a token without scope claim is valid but carries no scope")
    void noScope() throws Exception {
        assertThat(validator("rfc9068_profile", NOW).validate(token(b -> b.claim("scope", null))).scopes()).isEmpty();
    }

    @Nested
    @DisplayName("claims")
    class Claims {
        AccessTokenValidator v = validator("rfc9068_profile", NOW);

        @Test
        @DisplayName("another issuer is rejected")
        void issuer() {
            assertThat(rejection(v, token(b -> b.issuer(ISSUER + "x"))))
                    .isEqualTo("wrong issuer: iss https://idp.test/realms/m2m-demox, expected https://idp.test/realms/m2m-demo");
        }

        @Test
        @DisplayName("a token for another API (aud) is rejected")
        void audience() {
            assertThat(rejection(v, token(b -> b.audience("https://api.example.com/billing")))).isEqualTo(
                    "wrong audience: aud [https://api.example.com/billing] does not contain https://api.example.com/orders" + HINT);
        }

        @Test
        @DisplayName("an identifier that differs only by a trailing slash is another API")
        void audienceExact() {
            assertThat(rejection(v, token(b -> b.audience(ORDERS + "/"))))
                    .startsWith("wrong audience: aud [https://api.example.com/orders/] does not contain https://api.example.com/orders (");
        }

        @Test
        @DisplayName("a token without aud is rejected")
        void noAudience() {
            assertThat(rejection(v, token(b -> b.audience((String) null))))
                    .isEqualTo("wrong audience: aud [] does not contain https://api.example.com/orders" + HINT);
        }

        @Test
        @DisplayName("exp is judged by this server's clock with 30 s skew: accepted before exp + 30 s, rejected from then on")
        void expiry() throws Exception {
            String t = token(b -> { });
            assertThat(validator("rfc9068_profile", NOW.plusSeconds(3600 + 29)).validate(t).clientId()).isEqualTo("orders-reporting");
            assertThat(rejection(validator("rfc9068_profile", NOW.plusSeconds(3600 + 30)), t))
                    .isEqualTo("expired: exp 2026-01-01T13:00:00Z, now 2026-01-01T13:00:30Z (clock skew 30 s)");
        }

        @Test
        @DisplayName("RFC 9068 requires client_id and jti")
        void requiredClaims() {
            assertThat(rejection(v, token(b -> b.claim("client_id", null)))).isEqualTo("missing claims: [client_id]");
            assertThat(rejection(v, token(b -> b.jwtID(null)))).isEqualTo("missing claims: [jti]");
        }

        @Test
        @DisplayName("a scope claim that is not a string is rejected")
        void scopeNotString() {
            assertThat(rejection(v, token(b -> b.claim("scope", List.of("read:orders"))))).contains("scope");
        }
    }

    @Nested
    @DisplayName("header and signature")
    class Signature {
        AccessTokenValidator v = validator("rfc9068_profile", NOW);

        @Test
        @DisplayName("the RFC 9068 dialect requires typ at+jwt (application/at+jwt also accepted)")
        void typRfc9068() throws Exception {
            assertThat(rejection(v, sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims().build())))
                    .isEqualTo("wrong token type: typ JWT, expected at+jwt");
            assertThat(rejection(v, sign(KEY, JWSAlgorithm.RS256, null, claims().build())))
                    .isEqualTo("wrong token type: typ null, expected at+jwt");
            assertThat(v.validate(sign(KEY, JWSAlgorithm.RS256, new JOSEObjectType("application/at+jwt"), claims().build())))
                    .isNotNull();
        }

        @Test
        @DisplayName("the access_token dialect accepts typ JWT and rejects at+jwt")
        void typAccessToken() throws Exception {
            AccessTokenValidator jwt = validator("access_token", NOW);
            JWTClaimsSet c = claims().claim("client_id", null).claim("azp", "orders-sync").build();
            assertThat(jwt.validate(sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, c)).clientId()).isEqualTo("orders-sync");
            assertThat(rejection(jwt, sign(KEY, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), c)))
                    .isEqualTo("wrong token type: typ at+jwt, expected JWT");
        }

        @Test
        @DisplayName("a plain Keycloak token (requested without audience): the log says the type and audience are wrong and why")
        void plainKeycloakToken() {
            JWTClaimsSet plain = new JWTClaimsSet.Builder().issuer(ISSUER).subject("service-account-id").audience("account")
                    .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300))).jwtID("jti-2")
                    .claim("azp", "orders-reporting").claim("typ", "Bearer").claim("scope", "profile email").build();
            assertThat(rejection(v, sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, plain))).isEqualTo(
                    "wrong token type: typ JWT, expected at+jwt; its aud [account] does not contain https://api.example.com/orders either"
                            + HINT);
        }

        @Test
        @DisplayName("a changed payload no longer matches the signature")
        void tampered() {
            String[] parts = token(b -> { }).split("\\.");
            String payload = Base64URL.encode(claims().claim("scope", "read:orders write:orders").build().toString()).toString();
            assertThat(rejection(v, parts[0] + "." + payload + "." + parts[2]))
                    .isEqualTo("bad signature: the token was altered, or signed with another key than the realm's key k1");
        }

        @Test
        @DisplayName("a token signed by another key with the same kid is rejected")
        void otherKey() {
            assertThat(rejection(v, sign(OTHER_KEY, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims().build())))
                    .isEqualTo("bad signature: the token was altered, or signed with another key than the realm's key k1");
        }

        @Test
        @DisplayName("alg none is rejected")
        void algNone() {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes());
            String plain = new PlainJWT(claims().build()).serialize();
            assertThat(rejection(v, header + plain.substring(plain.indexOf('.')))).isNotBlank();
        }

        @Test
        @DisplayName("HS256 signed with the public key as HMAC secret (algorithm confusion) is rejected")
        void algConfusion() throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt"))
                    .keyID("k1").build(), claims().build());
            jwt.sign(new MACSigner(KEY.toPublicJWK().toRSAPublicKey().getEncoded()));
            assertThat(rejection(v, jwt.serialize())).isNotBlank();
        }

        @Test
        @DisplayName("an algorithm outside the configured allow-list is rejected even with a valid signature")
        void algNotAllowed() {
            assertThat(rejection(v, sign(KEY, JWSAlgorithm.RS384, new JOSEObjectType("at+jwt"), claims().build())))
                    .startsWith("no key to verify it: alg RS384, kid k1 (allowed algorithms [RS256], keys from ");
        }

        @Test
        @DisplayName("garbage is rejected")
        void garbage() {
            assertThat(rejection(v, "not-a-jwt")).isNotBlank();
            assertThat(rejection(v, "a.b.c")).isNotBlank();
        }
    }

    @Test
    @DisplayName("key rotation: an unknown kid re-fetches the JWKS once; made-up kids cannot trigger more fetches")
    void rotation() throws Exception {
        RSAKey next = generate("k2");
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(KEY.toPublicJWK()));
        AtomicInteger fetches = new AtomicInteger();
        JWKSetSource<SecurityContext> realm = new JWKSetSource<>() {
            @Override
            public JWKSet getJWKSet(com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator e, long time, SecurityContext c) {
                fetches.incrementAndGet();
                return published.get();
            }

            @Override
            public void close() {
            }
        };
        AccessTokenValidator v = new AccessTokenValidator(config("rfc9068_profile", NOW), AccessTokenValidator.cachedKeys(realm));

        v.validate(token(b -> { }));
        v.validate(token(b -> { }));
        assertThat(fetches).as("cached after the first fetch").hasValue(1);

        published.set(new JWKSet(List.of(next.toPublicJWK(), KEY.toPublicJWK())));
        assertThat(v.validate(sign(next, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims().build())).clientId())
                .isEqualTo("orders-reporting");
        assertThat(fetches).as("one re-fetch for the new kid").hasValue(2);

        for (int i = 0; i < 20; i++) {
            RSAKey madeUp = new RSAKey.Builder(OTHER_KEY).keyID("made-up-" + i).build();
            assertThat(rejection(v, sign(madeUp, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims().build())))
                    .isNotBlank();
        }
        assertThat(fetches).as("re-fetches are rate limited").hasValueLessThanOrEqualTo(3);
    }
}

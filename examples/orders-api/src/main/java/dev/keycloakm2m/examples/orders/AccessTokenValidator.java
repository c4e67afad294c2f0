package dev.keycloakm2m.examples.orders;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Validates a bearer access token the way RFC 9068 section 4 and the JWT BCP (RFC 8725) ask, with nimbus-jose-jwt:
 * <ol>
 * <li>header {@code typ}: {@code at+jwt} (or {@code application/at+jwt}) for the RFC 9068 dialect, {@code JWT} or none
 *     for the {@code access_token} dialect;</li>
 * <li>{@code alg} from a fixed allow-list of asymmetric algorithms ({@code none} and HS* never verify);</li>
 * <li>signature with the realm's public key named by {@code kid}, taken from the realm's JWKS: cached for 5 minutes,
 *     fetched again once when a token names an unknown {@code kid} (key rotation), at most twice per 30 s;</li>
 * <li>{@code iss} equal to the configured issuer, {@code aud} containing this API's identifier, {@code exp} (and
 *     {@code nbf}) against this server's clock with a small skew, and the claims the dialect requires.</li>
 * </ol>
 * Why a token was rejected (wrong audience, expired, bad signature, wrong issuer or type, ...) is returned for the
 * server log only, in words an operator can act on; the client sees a bare {@code invalid_token}.
 */
final class AccessTokenValidator {

    /** A token that passed every check: who sent it and what it allows. */
    record Token(String subject, String clientId, Set<String> scopes, Instant expiresAt) {
        boolean hasScope(String scope) {
            return scopes.contains(scope);
        }
    }

    /** The token is not acceptable; the message is for the server log, never for the client. */
    static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String reason) {
            super(reason);
        }
    }

    static final Duration JWKS_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration JWKS_REFETCH_MIN_INTERVAL = Duration.ofSeconds(30);

    private final OrdersApiConfig config;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    AccessTokenValidator(OrdersApiConfig config, JWKSource<SecurityContext> keys) {
        this.config = config;
        processor.setJWSTypeVerifier(config.dialect() == OrdersApiConfig.TokenDialect.RFC9068
                ? new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"))
                : new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(config.algorithms(), keys));

        Set<String> required = new LinkedHashSet<>(Set.of("iss", "sub", "aud", "exp", "iat"));
        if (config.dialect() == OrdersApiConfig.TokenDialect.RFC9068) {
            required.addAll(Set.of("client_id", "jti")); // RFC 9068 section 2.2
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(config.audience()),
                new JWTClaimsSet.Builder().issuer(config.issuer()).build(), required, null) {
            @Override
            protected Date currentTime() {
                return Date.from(config.clock().instant());
            }
        };
        claims.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The realm's JWKS over HTTP, cached, re-fetched on an unknown {@code kid}, rate limited. */
    static JWKSource<SecurityContext> remoteKeys(OrdersApiConfig config) {
        try {
            return cachedKeys(new URLBasedJWKSetSource<>(config.jwksUri().toURL(), new DefaultResourceRetriever(2_000, 2_000, 512 * 1024)));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("ORDERS_API_JWKS_URI is not a URL: " + config.jwksUri(), e);
        }
    }

    /**
     * Keys from {@code source}, cached for {@link #JWKS_CACHE_TTL}. A {@code kid} not in the cached set triggers one
     * re-fetch (the realm rotated its keys); re-fetches are limited to two per {@link #JWKS_REFETCH_MIN_INTERVAL}, so
     * tokens with made-up key ids cannot make this server hammer Keycloak.
     */
    static JWKSource<SecurityContext> cachedKeys(JWKSetSource<SecurityContext> source) {
        return JWKSourceBuilder.create(source)
                .cache(JWKS_CACHE_TTL.toMillis(), Duration.ofSeconds(15).toMillis())
                .refreshAheadCache(false)
                .rateLimited(JWKS_REFETCH_MIN_INTERVAL.toMillis())
                .retrying(true)
                .build();
    }

    Token validate(String token) throws InvalidTokenException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a JWT: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(reason(e, token));
        } catch (JOSEException e) {
            throw new InvalidTokenException("cannot verify: " + e.getMessage());
        }
        try {
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = new LinkedHashSet<>();
            if (scope != null) scopes.addAll(Arrays.asList(scope.trim().split(" +")));
            scopes.remove("");
            String clientId = config.dialect() == OrdersApiConfig.TokenDialect.RFC9068
                    ? claims.getStringClaim("client_id") : claims.getStringClaim("azp");
            return new Token(claims.getSubject(), clientId, Set.copyOf(scopes), claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed claim: " + e.getMessage());
        }
    }

    /**
     * Why nimbus refused the token, for the log: the check that failed, with the token's own values (read without
     * trusting them, since it failed) next to what this API expects. A token whose {@code aud} lacks this API gets a
     * hint whatever check failed first: the usual cause is a token requested without {@code audience=}, which is
     * Keycloak's own access token and not one for this API.
     */
    String reason(BadJOSEException e, String token) {
        String message = String.valueOf(e.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        JWSHeader header = null;
        JWTClaimsSet claims = null;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            header = jwt.getHeader();
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException unreadable) {
            // not a signed JWT: nimbus' message says what it is
        }
        List<String> aud = claims == null ? null : claims.getAudience();
        boolean audienceFailed = m.contains("aud claim") || (m.contains("missing required claims") && m.contains("aud"));
        String reason;
        if (audienceFailed) {
            reason = "wrong audience: aud " + aud + " does not contain " + config.audience();
        } else if (m.contains("expired")) {
            reason = "expired: exp " + instant(claims == null ? null : claims.getExpirationTime()) + ", now "
                    + config.clock().instant() + " (clock skew " + config.clockSkew().toSeconds() + " s)";
        } else if (m.contains("before use time")) {
            reason = "not yet valid: nbf " + instant(claims == null ? null : claims.getNotBeforeTime()) + ", now " + config.clock().instant();
        } else if (m.contains("invalid signature")) {
            reason = "bad signature: the token was altered, or signed with another key than the realm's key "
                    + (header == null ? "" : header.getKeyID());
        } else if (m.contains("no matching key")) {
            reason = "no key to verify it: alg " + (header == null ? null : header.getAlgorithm()) + ", kid "
                    + (header == null ? null : header.getKeyID()) + " (allowed algorithms " + config.algorithms()
                    + ", keys from " + config.jwksUri() + ")";
        } else if (m.contains("header typ")) {
            reason = "wrong token type: typ " + (header == null ? null : header.getType()) + ", expected "
                    + (config.dialect() == OrdersApiConfig.TokenDialect.RFC9068 ? "at+jwt" : "JWT");
        } else if (m.contains("iss claim")) {
            reason = "wrong issuer: iss " + (claims == null ? null : claims.getIssuer()) + ", expected " + config.issuer();
        } else if (m.contains("missing required claims")) {
            reason = "missing claims: " + message.substring(message.indexOf(':') + 1).trim();
        } else {
            reason = message;
        }
        if (!audienceFailed && claims != null && (aud == null || !aud.contains(config.audience()))) {
            reason += "; its aud " + aud + " does not contain " + config.audience() + " either";
        }
        if (claims != null && (aud == null || !aud.contains(config.audience()))) {
            reason += " (was the token requested with audience=" + config.audience() + "? Without it, Keycloak issues"
                    + " its own access token, not one for this API)";
        }
        return reason;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}

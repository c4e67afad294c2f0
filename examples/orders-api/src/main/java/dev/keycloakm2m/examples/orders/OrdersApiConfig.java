package dev.keycloakm2m.examples.orders;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * How the orders API is configured: from environment variables (see the README), with defaults that match the
 * example realm {@code m2m-demo} served by {@code scripts/run} on localhost:8080.
 *
 * @param issuer     the realm's issuer; a token's {@code iss} must equal it exactly
 * @param audience   this API's identifier; a token's {@code aud} must contain it
 * @param jwksUri    where the realm publishes its public keys
 * @param dialect    the API's {@code token_dialect}: decides the expected JWT header {@code typ}
 * @param algorithms the signing algorithms accepted (the API's {@code signing_alg}); only asymmetric ones
 * @param clockSkew  tolerance when checking {@code exp} and {@code nbf} against this server's clock
 * @param clock      this server's clock (tests inject one to check expiry without waiting)
 * @param host       address to listen on
 * @param port       port to listen on; 0 picks a free one
 */
public record OrdersApiConfig(String issuer, String audience, URI jwksUri, TokenDialect dialect,
                              Set<JWSAlgorithm> algorithms, Duration clockSkew, Clock clock, String host, int port) {

    public static final String DEFAULT_ISSUER = "http://localhost:8080/realms/m2m-demo";
    public static final String DEFAULT_AUDIENCE = "https://api.example.com/orders";
    public static final int DEFAULT_PORT = 8090;

    /** Asymmetric JWS algorithms this server accepts at all: never {@code none}, never HMAC (HS*). */
    static final List<JWSAlgorithm> ASYMMETRIC = List.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** The API's token dialect as keycloak-m2m names it; it decides the JWT header {@code typ} to expect. */
    public enum TokenDialect {
        /** {@code access_token} / {@code access_token_authz}: header {@code typ: JWT}. */
        ACCESS_TOKEN,
        /** {@code rfc9068_profile} / {@code rfc9068_profile_authz}: header {@code typ: at+jwt} (RFC 9068). */
        RFC9068;

        static TokenDialect parse(String value) {
            return switch (value.trim()) {
                case "access_token", "access_token_authz" -> ACCESS_TOKEN;
                case "rfc9068_profile", "rfc9068_profile_authz" -> RFC9068;
                default -> throw new IllegalArgumentException("ORDERS_API_TOKEN_DIALECT must be one of access_token, "
                        + "access_token_authz, rfc9068_profile, rfc9068_profile_authz; got '" + value + "'");
            };
        }
    }

    public OrdersApiConfig {
        requireHttpUri("ORDERS_API_ISSUER", issuer);
        if (audience == null || audience.isBlank()) throw new IllegalArgumentException("ORDERS_API_AUDIENCE must not be empty");
        requireHttpUri("ORDERS_API_JWKS_URI", jwksUri.toString());
        if (algorithms.isEmpty()) throw new IllegalArgumentException("ORDERS_API_ALGORITHMS must name at least one algorithm");
        for (JWSAlgorithm alg : algorithms) {
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException("ORDERS_API_ALGORITHMS: " + alg + " is not accepted; use asymmetric algorithms only: "
                        + String.join(", ", ASYMMETRIC.stream().map(JWSAlgorithm::getName).toList()));
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("ORDERS_API_CLOCK_SKEW_SECONDS must be between 0 and 300");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("ORDERS_API_PORT must be between 0 and 65535");
        algorithms = Set.copyOf(algorithms);
    }

    /**
     * Reads {@code ORDERS_API_ISSUER}, {@code ORDERS_API_AUDIENCE}, {@code ORDERS_API_JWKS_URI},
     * {@code ORDERS_API_TOKEN_DIALECT}, {@code ORDERS_API_ALGORITHMS}, {@code ORDERS_API_CLOCK_SKEW_SECONDS},
     * {@code ORDERS_API_HOST} and {@code ORDERS_API_PORT}; unset ones take the defaults for the example realm.
     */
    public static OrdersApiConfig fromEnvironment(Map<String, String> env) {
        String issuer = env.getOrDefault("ORDERS_API_ISSUER", DEFAULT_ISSUER);
        String jwks = env.getOrDefault("ORDERS_API_JWKS_URI", stripSlash(issuer) + "/protocol/openid-connect/certs");
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : env.getOrDefault("ORDERS_API_ALGORITHMS", "RS256").split(",")) {
            if (!name.isBlank()) algorithms.add(JWSAlgorithm.parse(name.trim().toUpperCase(Locale.ROOT)));
        }
        return new OrdersApiConfig(issuer,
                env.getOrDefault("ORDERS_API_AUDIENCE", DEFAULT_AUDIENCE),
                URI.create(jwks),
                TokenDialect.parse(env.getOrDefault("ORDERS_API_TOKEN_DIALECT", "rfc9068_profile")),
                algorithms,
                Duration.ofSeconds(integer(env, "ORDERS_API_CLOCK_SKEW_SECONDS", 30)),
                Clock.systemUTC(),
                env.getOrDefault("ORDERS_API_HOST", "localhost"),
                integer(env, "ORDERS_API_PORT", DEFAULT_PORT));
    }

    /** The same configuration judged by another clock. */
    public OrdersApiConfig withClock(Clock clock) {
        return new OrdersApiConfig(issuer, audience, jwksUri, dialect, algorithms, clockSkew, clock, host, port);
    }

    @Override
    public String toString() {
        return "issuer " + issuer + ", audience " + audience + ", dialect " + dialect.name().toLowerCase(Locale.ROOT)
                + ", algorithms " + Arrays.toString(algorithms.toArray()) + ", clock skew " + clockSkew.toSeconds() + " s";
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number; got '" + value + "'");
        }
    }

    private static void requireHttpUri(String name, String value) {
        URI uri;
        try {
            uri = value == null ? null : URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException(name + " must be an http(s) URL; got '" + value + "'");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

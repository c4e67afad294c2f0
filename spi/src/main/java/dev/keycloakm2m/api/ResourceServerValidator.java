package dev.keycloakm2m.api;

import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.TokenDialect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/**
 * The one validation routine for APIs, run by every write path: admin REST, the console (component endpoint) and
 * realm import. Returns the normalized API with defaults applied, or throws with every problem found.
 */
public final class ResourceServerValidator {

    /** Asymmetric JWS algorithms Keycloak can sign with; the realm JWKS publishes their public keys. */
    public static final List<String> ASYMMETRIC_ALGORITHMS = List.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

    public static final String DUPLICATE_IDENTIFIER = "A resource server with the same identifier already exists.";

    private ResourceServerValidator() {
    }

    /**
     * @param draft    the API as received, every field present (PATCH merges before calling)
     * @param existing the stored API when this is an update, else {@code null}
     */
    public static ResourceServer validate(ResourceServerDraft draft, ResourceServer existing, RealmView realm) {
        List<ApiScope> draftScopes = draft.scopes() == null ? List.of() : draft.scopes();
        Text.controlCheck().text("id", draft.id()).text("name", draft.name()).text("identifier", draft.identifier())
                .texts("scopes", draftScopes.stream().map(ApiScope::value).toList())
                .texts("scopes", draftScopes.stream().map(ApiScope::description).toList())
                .text("token_lifetime", draft.tokenLifetime()).text("signing_alg", draft.signingAlg())
                .text("token_dialect", draft.tokenDialect()).text("client_policy", draft.clientPolicy())
                .refuse();
        List<Problem> problems = new ArrayList<>();

        String name = draft.name();
        if (name == null || name.isEmpty()) {
            problems.add(Problem.invalid("name", "name is required"));
        } else if (Text.length(name) > 200) {
            problems.add(Problem.invalid("name", "name must be at most 200 characters"));
        } else if (name.indexOf('<') >= 0 || name.indexOf('>') >= 0) {
            problems.add(Problem.invalid("name", "name must not contain < or >"));
        } else if (Text.hasControlOrBroken(name)) {
            problems.add(Problem.invalid("name", "name must not contain control characters"));
        }

        String identifier = draft.identifier();
        if (identifier == null || identifier.isEmpty()) {
            problems.add(Problem.invalid("identifier", "identifier is required"));
        } else if (Text.length(identifier) > 600) {
            problems.add(Problem.invalid("identifier", "identifier must be at most 600 characters"));
        } else if (Text.hasWhitespace(identifier) || Text.hasControlOrBroken(identifier)) {
            problems.add(Problem.invalid("identifier", "identifier must not contain whitespace or control characters"));
        } else if (existing != null && !existing.identifier().equals(identifier)) {
            problems.add(Problem.invalid("identifier", "identifier cannot be changed once the API is created"));
        } else {
            realm.apiByIdentifier(identifier)
                    .filter(other -> existing == null || !other.id().equals(existing.id()))
                    .filter(other -> draft.id() == null || !other.id().equals(draft.id()))
                    .ifPresent(other -> problems.add(Problem.conflict("identifier", DUPLICATE_IDENTIFIER)));
        }

        List<ApiScope> scopes = draft.scopes() == null ? List.of() : draft.scopes();
        Set<String> seen = new HashSet<>();
        for (ApiScope scope : scopes) {
            String value = scope.value();
            if (value == null || value.isEmpty()) {
                problems.add(Problem.invalid("scopes", "every scope needs a value"));
            } else if (Text.length(value) > 280) {
                problems.add(Problem.invalid("scopes", "scope value " + Text.quote(value) + " is longer than 280 characters"));
            } else if (Text.hasWhitespace(value) || Text.hasControlOrBroken(value)) {
                problems.add(Problem.invalid("scopes", "scope value " + Text.quote(value) + " must not contain whitespace or control characters"));
            } else if (!seen.add(value)) {
                problems.add(Problem.invalid("scopes", "scope value " + Text.quote(value) + " appears more than once"));
            }
            if (Text.length(scope.description()) > 500) {
                problems.add(Problem.invalid("scopes", "description of scope " + Text.quote(value) + " is longer than 500 characters"));
            } else if (Text.hasControlOrBroken(scope.description())) {
                problems.add(Problem.invalid("scopes", "description of scope " + Text.quote(value) + " must not contain control characters"));
            }
        }

        int lifetime = ResourceServer.DEFAULT_TOKEN_LIFETIME;
        if (draft.tokenLifetime() != null && !draft.tokenLifetime().isBlank()) {
            try {
                lifetime = Integer.parseInt(draft.tokenLifetime().trim());
                if (lifetime < ResourceServer.MIN_TOKEN_LIFETIME || lifetime > ResourceServer.MAX_TOKEN_LIFETIME) {
                    problems.add(Problem.invalid("token_lifetime", lifetimeMessage()));
                }
            } catch (NumberFormatException e) {
                problems.add(Problem.invalid("token_lifetime", lifetimeMessage()));
            }
        }

        String alg = blankToNull(draft.signingAlg());
        if (alg == null) alg = ResourceServer.DEFAULT_SIGNING_ALG;
        if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
            problems.add(Problem.invalid("signing_alg", "signing_alg " + Text.quote(alg)
                    + " is not supported; use an asymmetric algorithm: " + String.join(", ", ASYMMETRIC_ALGORITHMS)));
        } else if (!realm.lenientReferences() && !realm.hasActiveSigningKey(alg)) {
            problems.add(Problem.invalid("signing_alg", "signing_alg " + alg
                    + ": the realm has no active " + alg + " signing key (add a key provider for it under Realm settings > Keys)"));
        }

        TokenDialect dialect = TokenDialect.ACCESS_TOKEN;
        String dialectRaw = blankToNull(draft.tokenDialect());
        if (dialectRaw != null) {
            dialect = TokenDialect.fromWire(dialectRaw).orElse(null);
            if (dialect == null) {
                problems.add(Problem.invalid("token_dialect", "token_dialect must be one of: " + TokenDialect.allowed()));
            }
        }

        ClientPolicy policy = ClientPolicy.REQUIRE_CLIENT_GRANT;
        String policyRaw = blankToNull(draft.clientPolicy());
        if (policyRaw != null) {
            policy = ClientPolicy.fromWire(policyRaw).orElse(null);
            if (policy == null) {
                problems.add(Problem.invalid("client_policy", "client_policy must be one of: " + ClientPolicy.allowed()));
            }
        }

        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        String id = existing != null ? existing.id() : draft.id();
        return new ResourceServer(id, name, identifier, scopes, lifetime, alg, dialect, policy);
    }

    private static String lifetimeMessage() {
        return "token_lifetime must be a whole number of seconds between " + ResourceServer.MIN_TOKEN_LIFETIME
                + " and " + ResourceServer.MAX_TOKEN_LIFETIME;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

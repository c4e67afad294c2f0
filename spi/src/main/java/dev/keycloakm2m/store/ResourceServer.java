package dev.keycloakm2m.store;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An API (Auth0: resource server). Its {@code identifier} is the audience clients ask for and the {@code aud} of
 * its tokens; compared exactly.
 */
public record ResourceServer(
        String id,
        String name,
        String identifier,
        List<ApiScope> scopes,
        int tokenLifetime,
        String signingAlg,
        TokenDialect tokenDialect,
        ClientPolicy clientPolicy) {

    public static final int DEFAULT_TOKEN_LIFETIME = 86400;
    public static final int MIN_TOKEN_LIFETIME = 60;
    public static final int MAX_TOKEN_LIFETIME = 2592000;
    public static final String DEFAULT_SIGNING_ALG = "RS256";

    public ResourceServer {
        scopes = List.copyOf(scopes);
    }

    /** Scope values in definition order. */
    public Set<String> scopeValues() {
        return scopes.stream().map(ApiScope::value).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public boolean hasScope(String value) {
        return scopes.stream().anyMatch(s -> s.value().equals(value));
    }

    public ResourceServer withId(String newId) {
        return new ResourceServer(newId, name, identifier, scopes, tokenLifetime, signingAlg, tokenDialect, clientPolicy);
    }
}

package dev.keycloakm2m.api;

import dev.keycloakm2m.store.ApiScope;

import java.util.List;

/**
 * An API as a write path received it, before validation: raw strings, {@code null} for "not given". The REST
 * layer, the console (component config) and realm import all produce one of these.
 */
public record ResourceServerDraft(
        String id,
        String name,
        String identifier,
        List<ApiScope> scopes,
        String tokenLifetime,
        String signingAlg,
        String tokenDialect,
        String clientPolicy) {
}

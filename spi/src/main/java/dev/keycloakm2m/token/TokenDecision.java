package dev.keycloakm2m.token;

import java.util.List;
import java.util.function.Predicate;

import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenQuota;

/**
 * What the token endpoint does with one client_credentials request, decided in one pure function from the request
 * and the realm's index: hand it to Keycloak untouched ({@link Kind#KEYCLOAK}), refuse it ({@link Kind#REFUSE},
 * with the refusal and the audience to record), or serve a token for an API ({@link Kind#API}: the API, the scopes
 * to issue). In every case also the quota that applies to the client and the realm's error style. The grant type
 * only applies the result.
 */
record TokenDecision(Kind kind, ResourceServer api, List<String> scopes, TokenRefusal refusal, String audience,
                     TokenQuota quota, ErrorStyle errorStyle) {

    enum Kind { KEYCLOAK, REFUSE, API }

    /** Before anything is decided (and for clients Keycloak refuses itself): nothing of ours applies. */
    static final TokenDecision NONE = new TokenDecision(Kind.KEYCLOAK, null, List.of(), null, null, null, ErrorStyle.RFC);

    /**
     * A client_credentials request as the decision needs it.
     *
     * @param audience                  every {@code audience} value sent
     * @param resource                  every {@code resource} value sent
     * @param scope                     the {@code scope} parameter, {@code null} when absent
     * @param scopeDropped              Keycloak dropped a {@code scope} the client sent (too long)
     * @param scopeMalformed            the refusal for a {@code scope} that held control characters, else {@code null}
     * @param resourceIndicatorsEnabled Keycloak's own resource indicators feature is on
     * @param hooksAvailable            this Keycloak version's token hooks are in place ({@code kc/TokenHooks})
     * @param hasSigningKey             whether the realm has an active key for an algorithm
     */
    record Request(String clientId, List<String> audience, List<String> resource, String scope, boolean scopeDropped,
                   TokenRefusal scopeMalformed, boolean resourceIndicatorsEnabled, boolean hooksAvailable,
                   Predicate<String> hasSigningKey) {
    }

    boolean isApi() {
        return kind == Kind.API;
    }

    static TokenDecision decide(Request request, RealmIndex index) {
        M2mSettings settings = index.settings();
        ErrorStyle style = settings.errorStyle();
        TokenQuota quota = index.effectiveQuota(request.clientId());
        ApiTarget target = ApiTarget.resolve(request.audience(), request.resource(), settings.defaultAudience());
        if (target.kind() == ApiTarget.Kind.NONE) {
            return new TokenDecision(Kind.KEYCLOAK, null, List.of(), null, null, quota, style);
        }
        if (target.kind() == ApiTarget.Kind.API && target.source() == ApiTarget.Source.RESOURCE
                && index.apiByIdentifier(target.identifier()).isEmpty() && request.resourceIndicatorsEnabled()) {
            // not one of our APIs: Keycloak's own (experimental) resource indicators handle it
            return new TokenDecision(Kind.KEYCLOAK, null, List.of(), null, null, quota, style);
        }
        if (!request.hooksAvailable()) {
            // fail closed: without the hooks Keycloak would answer with a token not shaped for the API
            return refuse(TokenRefusal.hooksUnavailable("token_hooks_unavailable"), null, quota, style);
        }
        if (target.kind() == ApiTarget.Kind.ERROR) {
            return refuse(TokenRefusal.of(target.error()), null, quota, style);
        }
        String identifier = target.identifier();
        ResourceServer api = index.apiByIdentifier(identifier).orElse(null);
        if (api == null) {
            return refuse(TokenRefusal.unknownApi(style, identifier), identifier, quota, style);
        }
        if (api.clientPolicy() == ClientPolicy.DENY_ALL) {
            return refuse(TokenRefusal.notAuthorized(style, request.clientId(), identifier, true), identifier, quota, style);
        }
        ClientGrant grant = index.grant(request.clientId(), identifier).orElse(null);
        if (grant == null) {
            return refuse(TokenRefusal.notAuthorized(style, request.clientId(), identifier, false), identifier, quota, style);
        }
        if (request.scopeDropped()) {
            return refuse(TokenRefusal.tooLong("scope", TokenRefusal.INVALID_SCOPE), identifier, quota, style);
        }
        if (request.scopeMalformed() != null) {
            return refuse(request.scopeMalformed(), identifier, quota, style);
        }
        ScopeDecision scopes = ScopeDecision.decide(request.scope(), grant.effectiveScopes(api.scopeValues()));
        if (scopes.refused()) {
            return refuse(TokenRefusal.scopesNotGranted(style, scopes.notGranted()), identifier, quota, style);
        }
        if (!request.hasSigningKey().test(api.signingAlg())) {
            return new TokenDecision(Kind.REFUSE, api, List.of(), TokenRefusal.noSigningKey(api.signingAlg()), identifier, quota, style);
        }
        return new TokenDecision(Kind.API, api, scopes.issued(), null, identifier, quota, style);
    }

    private static TokenDecision refuse(TokenRefusal refusal, String audience, TokenQuota quota, ErrorStyle style) {
        return new TokenDecision(Kind.REFUSE, null, List.of(), refusal, audience, quota, style);
    }
}

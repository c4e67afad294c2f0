package dev.keycloakm2m.token;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.kc.Organizations.Organization;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.OrganizationUsage;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenQuota;

/**
 * What the token endpoint does with one client_credentials request, decided in one pure function from the request
 * and the realm's index: hand it to Keycloak untouched ({@link Kind#KEYCLOAK}), refuse it ({@link Kind#REFUSE},
 * with the refusal and the audience to record), or serve a token for an API ({@link Kind#API}: the API, the scopes
 * to issue, the organization it is issued for and that organization's quota). In every case also the quota that
 * applies to the client and the realm's error style. The grant type only applies the result.
 */
record TokenDecision(Kind kind, ResourceServer api, List<String> scopes, TokenRefusal refusal, String audience,
                     TokenQuota quota, ErrorStyle errorStyle, Organization organization, TokenQuota organizationQuota,
                     boolean organizationNameInToken) {

    enum Kind { KEYCLOAK, REFUSE, API }

    /** Before anything is decided (and for clients Keycloak refuses itself): nothing of ours applies. */
    static final TokenDecision NONE = new TokenDecision(Kind.KEYCLOAK, null, List.of(), null, null, null, ErrorStyle.RFC);

    TokenDecision(Kind kind, ResourceServer api, List<String> scopes, TokenRefusal refusal, String audience, TokenQuota quota,
                  ErrorStyle errorStyle) {
        this(kind, api, scopes, refusal, audience, quota, errorStyle, null, null, false);
    }

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
     * @param organization              the {@code organization} parameter (id or alias), {@code null} when absent or empty
     * @param findOrganization          the realm's organization of an id or alias, {@code null} when there is none
     *                                  (called only for a request that names an API and an organization)
     * @param organizationMalformed     the refusal for an {@code organization} parameter Keycloak dropped or altered
     */
    record Request(String clientId, List<String> audience, List<String> resource, String scope, boolean scopeDropped,
                   TokenRefusal scopeMalformed, boolean resourceIndicatorsEnabled, boolean hooksAvailable,
                   Predicate<String> hasSigningKey, String organization, Function<String, Organization> findOrganization,
                   TokenRefusal organizationMalformed) {

        /** A request without {@code organization}. */
        Request(String clientId, List<String> audience, List<String> resource, String scope, boolean scopeDropped,
                TokenRefusal scopeMalformed, boolean resourceIndicatorsEnabled, boolean hooksAvailable,
                Predicate<String> hasSigningKey) {
            this(clientId, audience, resource, scope, scopeDropped, scopeMalformed, resourceIndicatorsEnabled, hooksAvailable,
                    hasSigningKey, null, name -> null, null);
        }
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
        if (request.organizationMalformed() != null) {
            return refuse(request.organizationMalformed(), identifier, quota, style);
        }
        Organization organization = request.organization() == null || grant.organizationUsage() == OrganizationUsage.DENY ? null
                : request.findOrganization().apply(request.organization());
        TokenRefusal organizationRefusal = organizationRefusal(request, organization, grant, index, style, identifier);
        if (organizationRefusal != null) {
            return refuse(organizationRefusal, identifier, quota, style);
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
        TokenQuota organizationQuota = organization == null ? null : index.effectiveOrganizationQuota(organization.id());
        return new TokenDecision(Kind.API, api, scopes.issued(), null, identifier, quota, style, organization, organizationQuota,
                organization != null && settings.organizationNameInToken());
    }

    /**
     * Auth0's organizations for client credentials: {@code organization_usage} deny refuses a request that names one,
     * require one that names none; the organization must exist, be enabled (with the realm's organizations), and be
     * associated with the grant unless the grant allows any.
     */
    private static TokenRefusal organizationRefusal(Request request, Organization organization, ClientGrant grant, RealmIndex index,
                                                    ErrorStyle style, String audience) {
        String named = request.organization();
        if (named == null) {
            return grant.organizationUsage() == OrganizationUsage.REQUIRE ? TokenRefusal.organizationRequired(style, audience) : null;
        }
        if (grant.organizationUsage() == OrganizationUsage.DENY) {
            return TokenRefusal.organizationNotAllowed(style, request.clientId(), audience);
        }
        if (organization == null) {
            return TokenRefusal.unknownOrganization(style, named, "organization_unknown");
        }
        if (!organization.enabled()) {
            return TokenRefusal.unknownOrganization(style, named, "organization_disabled");
        }
        if (!grant.allowAnyOrganization() && !index.associated(grant.id(), organization.id())) {
            return TokenRefusal.organizationNotAssociated(style, request.clientId(), audience, named);
        }
        return null;
    }

    private static TokenDecision refuse(TokenRefusal refusal, String audience, TokenQuota quota, ErrorStyle style) {
        return new TokenDecision(Kind.REFUSE, null, List.of(), refusal, audience, quota, style);
    }
}

package dev.keycloakm2m.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;

import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.kc.TokenHooks;
import dev.keycloakm2m.metrics.M2mMetrics;
import dev.keycloakm2m.quota.QuotaHeaders;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.ratelimit.ClaimedClient;
import dev.keycloakm2m.ratelimit.RateLimitHeaders;
import dev.keycloakm2m.ratelimit.RateLimiter;
import dev.keycloakm2m.ratelimit.RateLimits;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.RealmIndexCache;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenQuota;
import dev.keycloakm2m.validation.Text;

/**
 * The {@code client_credentials} grant with API audiences. A request that names an API ({@code audience},
 * {@code resource}, or the realm's default audience) is checked against the API and the client's grant, then
 * Keycloak issues the token as usual (client authentication, service account, events, client policies, DPoP/mTLS
 * binding) and we shape it for the API and sign it with the API's algorithm. A request that names no API is
 * handed to Keycloak untouched.
 */
final class M2mClientCredentialsGrantType extends ClientCredentialsGrantType {

    private static final Logger LOG = Logger.getLogger(M2mClientCredentialsGrantType.class);

    static final String AUDIENCE = "audience";
    /** Event reason of a request refused by a rate-limit policy; event detail of one served over a {@code log} policy. */
    static final String RATE_LIMITED = "rate_limited";
    static final String RATE_LIMIT_DETAIL = "rate_limit";
    static final String RATE_LIMIT_EXCEEDED = "exceeded";
    static final String RATE_LIMIT_DESCRIPTION = "Rate limit exceeded.";
    /** Auth0's organization parameter: the organization (id or alias) the token is issued for. */
    static final String ORGANIZATION = "organization";
    /** Event detail: the organization a refused request named, as sent. */
    static final String ORGANIZATION_DETAIL = "organization";
    static final String ORG_ALIAS_DETAIL = "org_alias";

    /** What this request gets (API or Keycloak's own token, scopes, quota, error style): {@link TokenDecision}. */
    private TokenDecision decision = TokenDecision.NONE;
    /** Set by the hooks when they shaped the access token and signed it as the API's: checked before answering. */
    private boolean shaped;
    private boolean signedAsApi;
    /** Keycloak 26.4 ({@link TokenHooks.Mode#TOKEN_MANAGER}): the quota reservation and the client swapped for signing. */
    private boolean legacyCounted;
    private QuotaService.Reservation legacyReservation;
    private ClientModel legacyOriginalClient;
    /**
     * Rate limits: the client the request names and the policy that applies to it (set before authentication, only
     * when one applies), the request's address, whether the request authenticated (reached {@link #process}) or was
     * refused before authentication, and the rate-limit headers to send next to the quota's.
     */
    private KeycloakSession rateLimitSession;
    private String claimedClientId;
    private RateLimitPolicy claimedPolicy;
    private String claimedRealmId;
    private String claimedRealmName;
    private String requestAddress;
    private boolean authenticated;
    private boolean refusedBeforeAuthentication;
    private Map<String, String> rateLimitHeaders = Map.of();

    @Override
    public Set<String> getSupportedMultivaluedRequestParameters() {
        // we answer repeated audience/resource with invalid_target ourselves
        return Set.of(AUDIENCE, OAuth2Constants.RESOURCE);
    }

    /** Keycloak 26.6+: before it authenticates the client ({@link #beforeAuthentication}). */
    @Override
    public void preProcess(KeycloakSession session, MultivaluedMap<String, String> formParams) throws ClientPolicyException {
        super.preProcess(session, formParams);
        beforeAuthentication(session, formParams);
    }

    /**
     * Before Keycloak authenticates the client: a request naming a client whose rate-limit bucket is empty, or whose
     * failed authentications from this address used up theirs, is refused without checking its credentials. Clients
     * without a policy (and realms without any) cost one map lookup in the in-memory realm index. Called from
     * {@link #preProcess} on Keycloak 26.6+, and by the factory when it creates the grant on older versions (their
     * token endpoint creates the grant before it authenticates the client, and has no {@code preProcess}).
     */
    void beforeAuthentication(KeycloakSession session, MultivaluedMap<String, String> formParams) {
        RealmModel realm = session.getContext().getRealm();
        RealmIndex index;
        try {
            index = RealmIndexCache.get(session, realm);
        } catch (RuntimeException e) {
            // the index cannot be read (database down): no limit here; the request fails or passes as it would without us
            LOG.debugf("Realm %s: rate-limit policies not checked before authentication: %s", realm.getName(), e);
            return;
        }
        if (!index.hasRateLimitPolicies()) return;
        String named = ClaimedClient.of(formParams.getFirst(OAuth2Constants.CLIENT_ID),
                session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION),
                formParams.getFirst(OAuth2Constants.CLIENT_ASSERTION));
        if (named == null || Text.hasControlOrBroken(named)) return;
        RateLimitPolicy policy = index.effectiveRateLimitPolicy(named);
        if (policy == null) return;
        if (policy.isDefault() && session.clients().getClientByClientId(realm, named) == null) return; // no such client: no bucket
        rateLimitSession = session;
        claimedClientId = named;
        claimedPolicy = policy;
        claimedRealmId = realm.getId();
        claimedRealmName = realm.getName();
        requestAddress = KeycloakAdapter.remoteAddress(session);
        RateLimiter.Verdict verdict = RateLimits.limiter(session).beforeAuthentication(realm.getId(), named, requestAddress, policy);
        if (verdict == null) return;
        if (!verdict.refuse()) {
            warnOverLimit(verdict, named);
            return;
        }
        refusedBeforeAuthentication = true;
        if (verdict.kind() == RateLimiter.Kind.FAILED_AUTHENTICATION
                && RateLimits.limiter(session).shouldWarn(realm.getId(), named)) {
            LOG.warnf("Realm %s: failed authentications of client %s from %s exceed its rate limit (%d/s, burst %d);"
                    + " requests naming it from there are refused before authentication", realm.getName(), named,
                    requestAddress, policy.limit(), policy.effectiveBurst());
        }
        RateLimitHeaders.of(verdict, index.settings().errorStyle(), true)
                .forEach((name, value) -> session.getContext().getHttpResponse().setHeader(name, value));
        Map<String, String> details = new LinkedHashMap<>();
        details.put(Details.REASON, RATE_LIMITED);
        details.put(RATE_LIMIT_DETAIL, bucketName(verdict));
        M2mMetrics.refused(realm.getName(), RATE_LIMITED);
        M2mMetrics.throttled(realm.getName(), M2mMetrics.Throttle.RATE_LIMIT, named);
        throw KeycloakAdapter.refuseBeforeAuthentication(session, realm, named, OAuth2Constants.CLIENT_CREDENTIALS, details,
                TokenRefusal.TOO_MANY_REQUESTS, RATE_LIMIT_DESCRIPTION, Response.Status.TOO_MANY_REQUESTS);
    }

    /**
     * The client authenticated: its request takes a token from its bucket (refused with 429 when there is none and
     * the policy blocks). Runs before anything else of the request, so a refused request counts against no quota.
     */
    private void chargeRateLimit() {
        authenticated = true;
        RealmIndex index = RealmIndexCache.get(session, realm);
        if (!index.hasRateLimitPolicies()) return;
        RateLimitPolicy policy = index.effectiveRateLimitPolicy(client.getClientId());
        if (policy == null) return;
        RateLimiter.Verdict verdict = RateLimits.limiter(session).authenticated(realm.getId(), client.getClientId(), policy);
        ErrorStyle style = index.settings().errorStyle();
        if (verdict.refuse()) {
            RateLimitHeaders.of(verdict, style, true).forEach((name, value) -> session.getContext().getHttpResponse().setHeader(name, value));
            event.detail(Details.REASON, RATE_LIMITED);
            event.detail(RATE_LIMIT_DETAIL, bucketName(verdict));
            event.error(TokenRefusal.TOO_MANY_REQUESTS);
            M2mMetrics.refused(realm.getName(), RATE_LIMITED);
            M2mMetrics.throttled(realm.getName(), M2mMetrics.Throttle.RATE_LIMIT, client.getClientId());
            throw new CorsErrorResponseException(cors, TokenRefusal.TOO_MANY_REQUESTS, RATE_LIMIT_DESCRIPTION,
                    Response.Status.TOO_MANY_REQUESTS);
        }
        if (!verdict.allowed()) {
            event.detail(RATE_LIMIT_DETAIL, RATE_LIMIT_EXCEEDED);
            warnOverLimit(verdict, client.getClientId());
        } else if (policy.action() == RateLimitPolicy.Action.BLOCK) {
            rateLimitHeaders = RateLimitHeaders.of(verdict, style, false);
            rateLimitHeaders.forEach((name, value) -> session.getContext().getHttpResponse().setHeader(name, value));
        }
    }

    private static String bucketName(RateLimiter.Verdict verdict) {
        return verdict.kind() == RateLimiter.Kind.CLIENT ? "client" : "failed_authentication";
    }

    /** Action {@code log}: a warning at most once a minute per client and node. */
    private void warnOverLimit(RateLimiter.Verdict verdict, String clientId) {
        RealmModel r = realm != null ? realm : rateLimitSession.getContext().getRealm();
        if (!RateLimits.limiter(rateLimitSession != null ? rateLimitSession : session).shouldWarn(r.getId(), clientId)) return;
        RateLimitPolicy p = verdict.policy();
        LOG.warnf("Realm %s: client %s is over its rate limit (%d/s, burst %d%s; action log: served)", r.getName(), clientId,
                p.limit(), p.effectiveBurst(), verdict.kind() == RateLimiter.Kind.CLIENT ? "" : ", failed authentications");
    }

    /**
     * The end of the request: a request that named a client with a policy and did not authenticate (Keycloak
     * refused its credentials) takes a token from that client's failed-authentication bucket for its address.
     */
    @Override
    public void close() {
        try {
            if (claimedPolicy != null && !authenticated && !refusedBeforeAuthentication
                    && rateLimitSession.getContext().getClient() == null) {
                RateLimiter.Verdict verdict = RateLimits.limiter(rateLimitSession).authenticationFailed(claimedRealmId,
                        claimedClientId, requestAddress, claimedPolicy);
                if (!verdict.allowed() && RateLimits.limiter(rateLimitSession).shouldWarn(claimedRealmId, claimedClientId)) {
                    LOG.warnf("Realm %s: failed authentications of client %s (latest from %s) exceed its rate limit (%d/s, burst %d)%s",
                            claimedRealmName, claimedClientId, requestAddress, claimedPolicy.limit(), claimedPolicy.effectiveBurst(),
                            claimedPolicy.action() == RateLimitPolicy.Action.BLOCK ? "; further attempts are refused" : "");
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("rate limit bookkeeping after a failed authentication: %s", e);
        } finally {
            super.close();
        }
    }

    @Override
    public Response process(Context context) {
        setContext(context);
        chargeRateLimit();
        ClientModel client = context.getClient();
        if (client.isBearerOnly() || client.isPublicClient() || !client.isServiceAccountsEnabled()) {
            return super.process(context); // Keycloak refuses these clients with its own 401 before issuing anything
        }
        // Keycloak silently drops over-long parameters: a request that named an API must not fall back to a plain token
        String dropped = droppedParameter(AUDIENCE, OAuth2Constants.RESOURCE);
        if (dropped != null) {
            throw refuse(TokenRefusal.tooLong(dropped, TokenRefusal.INVALID_TARGET), null);
        }
        TokenRefusal malformed = malformedParameter(TokenRefusal.INVALID_TARGET, AUDIENCE, OAuth2Constants.RESOURCE);
        if (malformed != null) {
            throw refuse(malformed, null);
        }
        // organization: only looked at for API requests (a request naming no API goes to Keycloak untouched)
        TokenRefusal organizationMalformed = droppedParameter(ORGANIZATION) != null
                ? TokenRefusal.tooLong(ORGANIZATION, TokenRefusal.INVALID_REQUEST)
                : malformedParameter(TokenRefusal.INVALID_REQUEST, ORGANIZATION);
        String organization = formParams.getFirst(ORGANIZATION);
        if (organization != null && organization.isEmpty()) organization = null;
        decision = TokenDecision.decide(new TokenDecision.Request(client.getClientId(), formParams.get(AUDIENCE),
                formParams.get(OAuth2Constants.RESOURCE), formParams.getFirst(OAuth2Constants.SCOPE),
                droppedParameter(OAuth2Constants.SCOPE) != null,
                malformedParameter(TokenRefusal.INVALID_SCOPE, OAuth2Constants.SCOPE),
                KeycloakAdapter.resourceIndicatorsEnabled(), TokenHooks.available(),
                alg -> KeycloakAdapter.hasActiveSigningKey(session, realm, alg), organization,
                named -> Organizations.find(session, realm, named).orElse(null), organizationMalformed),
                RealmIndexCache.get(session, realm));
        if (decision.kind() == TokenDecision.Kind.KEYCLOAK) {
            return plain(context);
        }
        if (organization != null) {
            event.detail(ORGANIZATION_DETAIL, TokenRefusal.echo(organization));
        }
        if (decision.kind() == TokenDecision.Kind.REFUSE) {
            if (decision.api() != null) {
                ResourceServer api = decision.api();
                LOG.warnf("Realm %s: API %s is configured for %s but the realm has no active %s key; refusing tokens for client %s",
                        realm.getName(), api.identifier(), api.signingAlg(), api.signingAlg(), client.getClientId());
            }
            throw refuse(decision.refusal(), decision.audience());
        }
        event.detail(Details.AUDIENCE, decision.audience());
        organizationDetails();

        // Keycloak must not validate API scopes as client scopes, nor see our parameters
        MultivaluedHashMap<String, String> keycloakParams = new MultivaluedHashMap<>();
        formParams.forEach((k, v) -> {
            if (!k.equals(OAuth2Constants.SCOPE) && !k.equals(AUDIENCE) && !k.equals(OAuth2Constants.RESOURCE) && !k.equals(ORGANIZATION)) {
                keycloakParams.put(k, v);
            }
        });
        context.setFormParams(keycloakParams);
        return issueApiToken(context);
    }

    /**
     * Keycloak issues the token; the version's hooks ({@link TokenHooks}) shape and sign it for the API. Fail closed:
     * if they did not both run, the response Keycloak built is dropped and the request refused.
     */
    private Response issueApiToken(Context context) {
        Response response;
        try {
            response = super.process(context);
        } catch (RuntimeException e) {
            if (legacyReservation != null) legacyReservation.release().run(); // nothing issued: give the count back
            throw e;
        } finally {
            if (legacyOriginalClient != null) session.getContext().setClient(legacyOriginalClient);
        }
        if (!shaped || !signedAsApi) {
            LOG.errorf("Realm %s: Keycloak issued a token for client %s and API %s without calling keycloak-m2m's hooks "
                    + "(mode %s, shaped %s, signed %s); the token is dropped and the request refused",
                    realm.getName(), client.getClientId(), decision.audience(), TokenHooks.mode(), shaped, signedAsApi);
            if (legacyReservation != null) legacyReservation.release().run();
            throw refuse(TokenRefusal.hooksUnavailable("token_not_shaped"), decision.audience());
        }
        if (legacyReservation != null) QuotaService.releaseUnlessCommitted(session, legacyReservation);
        if (TokenHooks.mode() == TokenHooks.Mode.TOKEN_MANAGER && response.getEntity() instanceof AccessTokenResponse res) {
            limitResponse(res); // 26.4 calls no addCustomTokenResponseClaims
        }
        if (response.getStatus() == Response.Status.OK.getStatusCode()) {
            M2mMetrics.tokenIssued(realm.getName(), decision.api().identifier());
        }
        return response;
    }

    /** A request naming no API: Keycloak's token, only counted against the client's quota. */
    private Response plain(Context context) {
        try {
            Response response = super.process(context);
            if (legacyReservation != null) QuotaService.releaseUnlessCommitted(session, legacyReservation);
            return response;
        } catch (RuntimeException e) {
            if (legacyReservation != null) legacyReservation.release().run();
            throw e;
        }
    }

    private void shape(AccessToken token, UserModel user) {
        Organizations.Organization org = decision.organization();
        ApiTokenShaper.shape(token, decision.api(), decision.scopes(), client.getClientId(), user.getId(),
                KeycloakAdapter.issuer(session, realm), Time.currentTime(), org == null ? null : org.id(),
                org != null && decision.organizationNameInToken() ? org.alias() : null);
        shaped = true;
    }

    /** The organization an API token is issued for, on the event: its id and alias. */
    private void organizationDetails() {
        Organizations.Organization org = decision.organization();
        if (org == null) return;
        event.detail(Details.ORG_ID, org.id());
        event.detail(ORG_ALIAS_DETAIL, org.alias());
    }

    @Override
    protected void setContext(Context context) {
        super.setContext(context);
        if (decision.isApi() && TokenHooks.mode() == TokenHooks.Mode.TOKEN_MANAGER) {
            // Keycloak 26.4: process() builds the token through these two fields
            tokenManager = TokenHooks.legacyTokenManager(this::shape, scopeString());
            clientConfig = TokenHooks.withoutRefreshTokens(client);
        }
    }

    @Override
    protected void checkAndBindMtlsHoKToken(TokenManager.AccessTokenResponseBuilder responseBuilder, boolean useRefreshToken) {
        super.checkAndBindMtlsHoKToken(responseBuilder, useRefreshToken);
        if (TokenHooks.mode() != TokenHooks.Mode.TOKEN_MANAGER || legacyCounted) {
            return;
        }
        // Keycloak 26.4: the last hook before the response is built and signed (26.5+ count in createTokenResponse)
        legacyCounted = true;
        legacyReservation = countToken();
        if (decision.isApi() && shaped) {
            // issueApiToken restores the client
            ResourceServer api = decision.api();
            legacyOriginalClient = session.getContext().getClient();
            session.getContext().setClient(KeycloakAdapter.signingAs(legacyOriginalClient, api.signingAlg(),
                    api.tokenDialect().rfc9068()));
            signedAsApi = true;
        }
    }

    private String scopeString() {
        return decision.scopes().isEmpty() ? null : String.join(" ", decision.scopes());
    }

    @Override
    protected boolean useRefreshToken() {
        return !decision.isApi() && super.useRefreshToken();
    }

    @Override
    protected TokenManager.AccessTokenResponseBuilder createTokenResponseBuilder(UserModel user, UserSessionModel userSession,
            ClientSessionContext clientSessionCtx, String scopeParam,
            Function<TokenManager.AccessTokenResponseBuilder, ClientPolicyContext> clientPolicyContextGenerator) {
        if (!decision.isApi() || TokenHooks.mode() != TokenHooks.Mode.GRANT_METHODS) {
            return super.createTokenResponseBuilder(user, userSession, clientSessionCtx, scopeParam, clientPolicyContextGenerator);
        }
        ClientSessionContext clientOnly = KeycloakAdapter.clientMappersOnly(clientSessionCtx, client, session);
        TokenManager.AccessTokenResponseBuilder builder = super.createTokenResponseBuilder(user, userSession, clientOnly,
                scopeParam, clientPolicyContextGenerator);
        shape(builder.getAccessToken(), user);
        return builder;
    }

    @Override
    protected Response createTokenResponse(TokenManager.AccessTokenResponseBuilder responseBuilder,
                                           ClientSessionContext clientSessionCtx, boolean code) {
        QuotaService.Reservation reservation = countToken();
        try {
            Response response;
            if (!decision.isApi() || TokenHooks.mode() != TokenHooks.Mode.GRANT_METHODS) {
                response = super.createTokenResponse(responseBuilder, clientSessionCtx, code);
            } else {
                ResourceServer api = decision.api();
                ClientModel original = session.getContext().getClient();
                session.getContext().setClient(KeycloakAdapter.signingAs(original, api.signingAlg(), api.tokenDialect().rfc9068()));
                signedAsApi = true;
                try {
                    response = super.createTokenResponse(responseBuilder, clientSessionCtx, code);
                } finally {
                    session.getContext().setClient(original);
                }
            }
            if (reservation != null) QuotaService.releaseUnlessCommitted(session, reservation);
            return response;
        } catch (RuntimeException e) {
            if (reservation != null) reservation.release().run(); // nothing issued: give the count back
            throw e;
        }
    }

    /**
     * Counts the token against the client's quota and, for a token issued for an organization, the organization's
     * quota, just before it is signed, after every other check passed: refused requests do not count. Both must allow;
     * the client is counted first, and given back when the organization refuses. Sets the quota headers; 429 when an
     * enforced bucket is exhausted.
     */
    private QuotaService.Reservation countToken() {
        TokenQuota quota = decision.quota();
        TokenQuota orgQuota = decision.organizationQuota();
        Organizations.Organization org = decision.organization();
        if (quota == null && orgQuota == null) {
            return null;
        }
        QuotaService.Subject orgSubject = orgQuota == null ? null : QuotaService.Subject.organization(org.id(), org.alias());
        QuotaService.Reservation clientReservation = null;
        QuotaService.Reservation orgReservation = null;
        long started = System.nanoTime();
        try {
            if (quota != null) {
                clientReservation = QuotaService.reserve(session, realm, client, quota);
            }
            if (orgQuota != null && (clientReservation == null || clientReservation.allowed())) {
                orgReservation = QuotaService.reserve(session, realm, orgSubject, orgQuota);
            }
        } catch (RuntimeException e) {
            M2mMetrics.quotaCounted(realm.getName(), System.nanoTime() - started);
            M2mMetrics.refused(realm.getName(), "quota_store_unavailable");
            if (clientReservation != null) clientReservation.release().run();
            LOG.warnf("Realm %s: token quota of client %s%s could not be counted, refusing the token: %s",
                    realm.getName(), client.getClientId(), org == null ? "" : " / organization " + org.alias(), e.getMessage());
            LOG.debug("quota store failure", e);
            event.detail(Details.REASON, "quota_store_unavailable");
            try {
                event.error(TokenRefusal.TEMPORARILY_UNAVAILABLE);
            } catch (RuntimeException storeDown) {
                // Keycloak stores error events at once, usually in the same database we could not reach: without
                // this the client would get Keycloak's 500 unknown_error instead of our 503
                LOG.warnf("Realm %s: the %s event of client %s could not be stored either: %s", realm.getName(),
                        TokenRefusal.TEMPORARILY_UNAVAILABLE, client.getClientId(), storeDown.getMessage());
            }
            throw new CorsErrorResponseException(cors, TokenRefusal.TEMPORARILY_UNAVAILABLE,
                    "Token quotas cannot be checked right now; try again later", Response.Status.SERVICE_UNAVAILABLE);
        }
        M2mMetrics.quotaCounted(realm.getName(), System.nanoTime() - started);
        boolean clientRefused = clientReservation != null && !clientReservation.allowed();
        boolean orgRefused = orgReservation != null && !orgReservation.allowed();
        java.util.List<dev.keycloakm2m.quota.BucketState> orgStates = orgReservation != null ? orgReservation.states()
                : orgQuota != null ? peekOrganization(orgSubject, orgQuota) : null;
        java.util.List<dev.keycloakm2m.quota.BucketState> clientStates = clientReservation == null ? null
                : orgRefused ? givenBack(clientReservation.states()) : clientReservation.states();
        M2mMetrics.quotaUsage(realm.getName(), false, client.getClientId(), clientStates);
        if (org != null) M2mMetrics.quotaUsage(realm.getName(), true, org.alias(), orgStates);
        QuotaHeaders.of(clientStates, orgStates, decision.errorStyle(), clientRefused, orgRefused)
                .forEach((name, value) -> session.getContext().getHttpResponse().setHeader(name,
                        RateLimitHeaders.merge(name, rateLimitHeaders.get(name), value)));
        if (clientRefused || orgRefused) {
            if (clientReservation != null) clientReservation.release().run(); // nothing issued: give the counts back
            if (orgReservation != null) orgReservation.release().run();
            String reason = clientRefused ? "quota_exceeded" : "organization_quota_exceeded";
            event.detail(Details.REASON, reason);
            event.error(TokenRefusal.TOO_MANY_REQUESTS);
            M2mMetrics.refused(realm.getName(), reason);
            M2mMetrics.throttled(realm.getName(), clientRefused ? M2mMetrics.Throttle.QUOTA : M2mMetrics.Throttle.ORGANIZATION_QUOTA,
                    client.getClientId());
            throw new CorsErrorResponseException(cors, TokenRefusal.TOO_MANY_REQUESTS,
                    clientRefused ? "Client quota exceeded" : "Organization quota exceeded", Response.Status.TOO_MANY_REQUESTS);
        }
        return QuotaService.Reservation.both(clientReservation, orgReservation);
    }

    /** The client's buckets once the count of a token the organization's quota refused is given back. */
    private static java.util.List<dev.keycloakm2m.quota.BucketState> givenBack(java.util.List<dev.keycloakm2m.quota.BucketState> states) {
        return states.stream().map(s -> new dev.keycloakm2m.quota.BucketState(s.bucket(), s.quota(), Math.max(0, s.used() - 1),
                s.resetAt(), s.now())).toList();
    }

    /** The organization's buckets without counting (the client's quota refused first); none when they cannot be read. */
    private java.util.List<dev.keycloakm2m.quota.BucketState> peekOrganization(QuotaService.Subject subject, TokenQuota quota) {
        try {
            return QuotaService.peek(session, subject, quota);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    protected void addCustomTokenResponseClaims(AccessTokenResponse res, ClientSessionContext clientSessionCtx) {
        super.addCustomTokenResponseClaims(res, clientSessionCtx);
        if (!decision.isApi()) {
            return;
        }
        String scope = limitResponse(res);
        if (event.getEvent().getDetails() != null) {
            event.getEvent().getDetails().remove(Details.SCOPE);
        }
        event.detail(Details.SCOPE, scope);
        event.detail(Details.AUDIENCE, decision.audience());
        organizationDetails();
    }

    /** The token response of an API token: the API's scopes and lifetime, no refresh or ID token. */
    private String limitResponse(AccessTokenResponse res) {
        String scope = scopeString();
        res.setScope(scope);
        res.setExpiresIn(decision.api().tokenLifetime());
        res.setRefreshToken(null);
        res.setIdToken(null);
        return scope;
    }

    /** A parameter the client sent (non-empty) that Keycloak removed before us because it was too long. */
    private String droppedParameter(String... names) {
        jakarta.ws.rs.core.MultivaluedMap<String, String> raw = request.getDecodedFormParameters();
        if (raw == null) return null;
        for (String name : names) {
            List<String> sent = raw.get(name);
            if (sent != null && sent.stream().anyMatch(v -> v != null && !v.isEmpty()) && !formParams.containsKey(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * Keycloak deletes control characters (and text that looks like them) from every token request parameter before
     * we see it ({@code TokenEndpoint.sanitizeFormParameters}); serving the cleaned value would answer a request the
     * client did not send. Compares the raw form with what Keycloak kept.
     */
    private TokenRefusal malformedParameter(String error, String... names) {
        jakarta.ws.rs.core.MultivaluedMap<String, String> raw = request.getDecodedFormParameters();
        if (raw == null) return null;
        for (String name : names) {
            List<String> sent = raw.get(name);
            if (sent == null) continue;
            if (sent.stream().anyMatch(Text::hasControl)) {
                return TokenRefusal.controlCharacters(name, error);
            }
            List<String> kept = formParams.get(name);
            if (kept != null && !kept.equals(sent)) {
                return TokenRefusal.altered(name, error);
            }
        }
        return null;
    }

    private CorsErrorResponseException refuse(TokenRefusal refusal, String audience) {
        event.detail(Details.REASON, refusal.reason());
        if (audience != null) event.detail(Details.AUDIENCE, TokenRefusal.echo(audience));
        event.error(refusal.error());
        M2mMetrics.refused(realm.getName(), refusal.reason());
        return new CorsErrorResponseException(cors, refusal.error(), refusal.description(),
                Response.Status.fromStatusCode(refusal.status()));
    }
}

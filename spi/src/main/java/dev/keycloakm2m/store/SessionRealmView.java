package dev.keycloakm2m.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.validation.Text;

/**
 * The realm as validation sees it during one write: a committed index plus the writes made since in the same
 * transaction (a realm import or another bulk write validates thousands of entities against each other). Client
 * lookups are memoised per view.
 */
public final class SessionRealmView implements RealmView {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, ResourceServer> apisById;
    private final Map<String, ResourceServer> apisByIdentifier = new HashMap<>();
    private final Map<String, Map<String, ClientGrant>> grantsByClient = new HashMap<>();
    private final Map<String, ClientQuota> quotasByClient;
    private final Map<String, Optional<ClientInfo>> clients = new HashMap<>();
    /** Rate-limit policies by clientId; the default under the key {@code ""} (no client has an empty clientId). */
    private final Map<String, RateLimitPolicy> policies = new HashMap<>();
    private M2mSettings settings;

    private SessionRealmView(KeycloakSession session, RealmModel realm, RealmIndex base) {
        this.session = session;
        this.realm = realm;
        this.apisById = new LinkedHashMap<>(base.apisById);
        apisById.values().forEach(a -> apisByIdentifier.put(a.identifier(), a));
        base.grantsById.values().forEach(this::putGrant);
        this.quotasByClient = new LinkedHashMap<>(base.quotasByClient);
        base.policiesById.values().forEach(this::putRateLimitPolicy);
        this.settings = base.settings;
    }

    /** The realm's committed state, for a single write. */
    public static SessionRealmView of(KeycloakSession session, RealmModel realm) {
        return new SessionRealmView(session, realm, RealmIndexCache.get(session, realm));
    }

    /** An empty realm, for a realm being imported. */
    public static SessionRealmView empty(KeycloakSession session, RealmModel realm) {
        return new SessionRealmView(session, realm, RealmIndex.EMPTY);
    }

    @Override
    public Optional<ResourceServer> apiByIdentifier(String identifier) {
        return Optional.ofNullable(apisByIdentifier.get(identifier));
    }

    @Override
    public Optional<ResourceServer> apiById(String id) {
        return Optional.ofNullable(apisById.get(id));
    }

    @Override
    public Optional<ClientGrant> grant(String clientId, String audience) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? Optional.empty() : Optional.ofNullable(byAudience.get(audience));
    }

    /** The client's grants (committed and written since), by audience. */
    public Collection<ClientGrant> grantsOfClient(String clientId) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? java.util.List.of() : java.util.List.copyOf(byAudience.values());
    }

    @Override
    public Optional<ClientQuota> quota(String clientId) {
        return Optional.ofNullable(quotasByClient.get(clientId));
    }

    @Override
    public Optional<RateLimitPolicy> rateLimitPolicy(String clientId) {
        return Optional.ofNullable(policies.get(clientId == null ? "" : clientId));
    }

    public M2mSettings settings() {
        return settings;
    }

    public Collection<ResourceServer> apis() {
        return apisById.values();
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        // no client id has control characters; some databases refuse them (NUL) even in a lookup
        if (clientId == null || Text.hasControlOrBroken(clientId)) return Optional.empty();
        return clients.computeIfAbsent(clientId, this::lookUpClient);
    }

    private Optional<ClientInfo> lookUpClient(String clientId) {
        ClientModel client = session.clients().getClientByClientId(realm, clientId);
        if (client == null) return Optional.empty();
        return Optional.of(new ClientInfo(client.getClientId(), client.isPublicClient(), client.isBearerOnly(),
                client.isServiceAccountsEnabled(), client.getId()));
    }

    @Override
    public boolean hasActiveSigningKey(String algorithm) {
        return KeycloakAdapter.hasActiveSigningKey(session, realm, algorithm);
    }

    // ---- this transaction's writes

    public void putApi(ResourceServer api) {
        ResourceServer previous = apisByIdentifier.get(api.identifier());
        if (previous != null && previous.id() != null) apisById.remove(previous.id());
        apisById.put(api.id(), api);
        apisByIdentifier.put(api.identifier(), api);
    }

    public void putGrant(ClientGrant grant) {
        grantsByClient.computeIfAbsent(grant.clientId(), k -> new HashMap<>()).put(grant.audience(), grant);
    }

    public void putQuota(ClientQuota quota) {
        quotasByClient.put(quota.clientId(), quota);
    }

    public void putRateLimitPolicy(RateLimitPolicy policy) {
        policies.put(policy.clientId() == null ? "" : policy.clientId(), policy);
    }

    public void putSettings(M2mSettings settings) {
        this.settings = settings;
    }
}

package dev.keycloakm2m;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.RealmView;

/** An in-memory realm for validator unit tests. */
public final class FakeRealm implements RealmView {

    public final Map<String, ResourceServer> apis = new HashMap<>();
    public final Map<String, ClientGrant> grants = new HashMap<>();
    public final Map<String, ClientInfo> clients = new HashMap<>();
    public final Map<String, ClientQuota> quotas = new HashMap<>();
    /** Rate-limit policies by clientId, the default under {@code ""}. */
    public final Map<String, RateLimitPolicy> rateLimitPolicies = new HashMap<>();
    public final Set<String> keys = new HashSet<>(Set.of("RS256"));
    public boolean lenient;

    public FakeRealm api(ResourceServer api) {
        apis.put(api.id(), api);
        return this;
    }

    public FakeRealm grant(ClientGrant grant) {
        grants.put(grant.id(), grant);
        return this;
    }

    public FakeRealm client(String clientId, boolean publicClient, boolean serviceAccounts) {
        clients.put(clientId, new ClientInfo(clientId, publicClient, false, serviceAccounts));
        return this;
    }

    @Override
    public Optional<ResourceServer> apiByIdentifier(String identifier) {
        return apis.values().stream().filter(a -> a.identifier().equals(identifier)).findFirst();
    }

    @Override
    public Optional<ResourceServer> apiById(String id) {
        return Optional.ofNullable(apis.get(id));
    }

    @Override
    public Optional<ClientGrant> grant(String clientId, String audience) {
        return grants.values().stream().filter(g -> g.clientId().equals(clientId) && g.audience().equals(audience)).findFirst();
    }

    public FakeRealm rateLimitPolicy(RateLimitPolicy policy) {
        rateLimitPolicies.put(policy.clientId() == null ? "" : policy.clientId(), policy);
        return this;
    }

    @Override
    public Optional<RateLimitPolicy> rateLimitPolicy(String clientId) {
        return Optional.ofNullable(rateLimitPolicies.get(clientId == null ? "" : clientId));
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public Optional<ClientQuota> quota(String clientId) {
        return Optional.ofNullable(quotas.get(clientId));
    }

    @Override
    public boolean hasActiveSigningKey(String algorithm) {
        return keys.contains(algorithm);
    }

    @Override
    public boolean lenientReferences() {
        return lenient;
    }
}

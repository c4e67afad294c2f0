package dev.keycloakm2m.auth0;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.SessionRealmView;

/**
 * The realm as the validators see it during an import: the committed realm, the APIs, grants and quotas planned so
 * far, and the clients the import will create (confidential, with a service account).
 */
final class PlanView implements RealmView {

    private final SessionRealmView base;
    private final Map<String, ClientInfo> planned = new HashMap<>();

    PlanView(SessionRealmView base) {
        this.base = base;
    }

    SessionRealmView base() {
        return base;
    }

    void planClient(String clientId) {
        planned.put(clientId, new ClientInfo(clientId, false, false, true, null));
    }

    @Override
    public Optional<ResourceServer> apiByIdentifier(String identifier) {
        return base.apiByIdentifier(identifier);
    }

    @Override
    public Optional<ResourceServer> apiById(String id) {
        return base.apiById(id);
    }

    @Override
    public Optional<ClientGrant> grant(String clientId, String audience) {
        return base.grant(clientId, audience);
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        ClientInfo p = planned.get(clientId);
        return p != null ? Optional.of(p) : base.client(clientId);
    }

    @Override
    public Optional<ClientQuota> quota(String clientId) {
        return base.quota(clientId);
    }

    @Override
    public boolean hasActiveSigningKey(String algorithm) {
        return base.hasActiveSigningKey(algorithm);
    }
}

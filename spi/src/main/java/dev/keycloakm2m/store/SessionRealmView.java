package dev.keycloakm2m.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.api.ResourceServer;
import dev.keycloakm2m.grant.ClientGrant;
import dev.keycloakm2m.quota.ClientQuota;
import dev.keycloakm2m.settings.M2mSettings;
import dev.keycloakm2m.validation.Text;

/**
 * The realm as validation sees it during one Keycloak session (one transaction): the committed index plus every
 * write of ours made earlier in the same session. That keeps uniqueness and reference checks O(1) and correct
 * while a realm import writes thousands of components in one transaction.
 */
public final class SessionRealmView implements RealmView {

    private static final String ATTRIBUTE = "m2m.session-view:";
    private static final String CREATING = "m2m.creating-realm:";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, ResourceServer> apisById;
    private final Map<String, ResourceServer> apisByIdentifier = new HashMap<>();
    private final Map<String, ClientGrant> grantsById;
    private final Map<String, Map<String, ClientGrant>> grantsByClient = new HashMap<>();
    private final Map<String, ClientQuota> quotasByClient;
    private M2mSettings settings;
    private String settingsId;
    /**
     * Client lookups of a realm import, memoised: the realm is new, so every lookup is a database query, and each
     * query makes Hibernate flush (sort and dirty-check) everything the import has persisted so far. One lookup per
     * component made importing thousands of grants quadratic (over 5 minutes for 10,000 grants, past the
     * transaction timeout); one per client keeps it linear. Clients do not change while their realm is imported.
     */
    private final Map<String, Optional<ClientInfo>> importedClients = new HashMap<>();
    /** Set for the strict check once an import is complete (same session, same clients). */
    private boolean importCheck;

    private SessionRealmView(KeycloakSession session, RealmModel realm, RealmIndex base) {
        this.session = session;
        this.realm = realm;
        this.apisById = new LinkedHashMap<>(base.apisById);
        this.grantsById = new LinkedHashMap<>(base.grantsById);
        apisById.values().forEach(a -> apisByIdentifier.put(a.identifier(), a));
        grantsById.values().forEach(this::indexGrant);
        this.quotasByClient = new LinkedHashMap<>(base.quotasByClient);
        this.settings = base.settings;
        this.settingsId = base.settingsId;
    }

    /** The view of {@code realm} for this session, created on first use. */
    public static SessionRealmView of(KeycloakSession session, RealmModel realm) {
        String key = ATTRIBUTE + realm.getId();
        SessionRealmView view = session.getAttribute(key, SessionRealmView.class);
        if (view == null) {
            view = new SessionRealmView(session, realm, RealmIndexCache.current(realm));
            session.setAttribute(key, view);
        }
        return view;
    }

    /**
     * A view rebuilt from what the realm holds now, for the strict check after an import (which gave every
     * component its id). Client lookups are memoised like during the import itself.
     */
    public static SessionRealmView reload(KeycloakSession session, RealmModel realm) {
        SessionRealmView view = new SessionRealmView(session, realm, RealmIndex.build(realm, null));
        view.importCheck = true;
        session.setAttribute(ATTRIBUTE + realm.getId(), view);
        return view;
    }

    /** Marks that {@code realm} is being created (imported) in this session: references are checked at the end. */
    public static void markCreating(KeycloakSession session, RealmModel realm, boolean creating) {
        if (creating) session.setAttribute(CREATING + realm.getId(), Boolean.TRUE);
        else session.removeAttribute(CREATING + realm.getId());
    }

    @Override
    public boolean lenientReferences() {
        return Boolean.TRUE.equals(session.getAttribute(CREATING + realm.getId(), Boolean.class));
    }

    /** The same realm without leniency: for the checks that run once an import is complete. */
    public RealmView strict() {
        SessionRealmView self = this;
        return new RealmView() {
            @Override public Optional<ResourceServer> apiByIdentifier(String identifier) { return self.apiByIdentifier(identifier); }
            @Override public Optional<ResourceServer> apiById(String id) { return self.apiById(id); }
            @Override public Optional<ClientGrant> grant(String clientId, String audience) { return self.grant(clientId, audience); }
            @Override public Optional<ClientInfo> client(String clientId) { return self.client(clientId); }
            @Override public boolean hasActiveSigningKey(String algorithm) { return self.hasActiveSigningKey(algorithm); }
            @Override public Optional<ClientQuota> quota(String clientId) { return self.quota(clientId); }
        };
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

    public Optional<ClientGrant> grantById(String id) {
        return Optional.ofNullable(grantsById.get(id));
    }

    @Override
    public Optional<ClientQuota> quota(String clientId) {
        return Optional.ofNullable(quotasByClient.get(clientId));
    }

    public Optional<ClientQuota> quotaById(String id) {
        return quotasByClient.values().stream().filter(q -> id.equals(q.id())).findFirst();
    }

    public java.util.Collection<ClientQuota> quotas() {
        return quotasByClient.values();
    }

    public void putQuota(ClientQuota quota, ClientQuota previous) {
        if (previous != null) quotasByClient.remove(previous.clientId());
        quotasByClient.put(quota.clientId(), quota);
    }

    public void removeQuota(ClientQuota quota) {
        quotasByClient.remove(quota.clientId());
    }

    public java.util.Collection<ResourceServer> apis() {
        return apisById.values();
    }

    public java.util.Collection<ClientGrant> grants() {
        return grantsById.values();
    }

    public M2mSettings settings() {
        return settings;
    }

    public String settingsId() {
        return settingsId;
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        // no client id has control characters; some databases refuse them (NUL) even in a lookup
        if (clientId == null || Text.hasControlOrBroken(clientId)) return Optional.empty();
        if (importCheck || lenientReferences()) {
            return importedClients.computeIfAbsent(clientId, this::lookUpClient);
        }
        return lookUpClient(clientId);
    }

    private Optional<ClientInfo> lookUpClient(String clientId) {
        ClientModel client = session.clients().getClientByClientId(realm, clientId);
        if (client == null) return Optional.empty();
        return Optional.of(new ClientInfo(client.getClientId(), client.isPublicClient(), client.isBearerOnly(),
                client.isServiceAccountsEnabled()));
    }

    @Override
    public boolean hasActiveSigningKey(String algorithm) {
        return session.keys().getKeysStream(realm, KeyUse.SIG, algorithm)
                .anyMatch(k -> k.getStatus() == KeyStatus.ACTIVE && k.getPrivateKey() != null);
    }

    // ---- bookkeeping of this session's writes (ids may still be null for components being created)

    public void putApi(ResourceServer api, ResourceServer previous) {
        if (previous != null) {
            apisById.remove(previous.id());
            apisByIdentifier.remove(previous.identifier());
        }
        if (api.id() != null) apisById.put(api.id(), api);
        apisByIdentifier.put(api.identifier(), api);
    }

    public void removeApi(ResourceServer api) {
        apisById.remove(api.id());
        apisByIdentifier.remove(api.identifier());
    }

    public void putGrant(ClientGrant grant, ClientGrant previous) {
        if (previous != null) removeGrant(previous);
        if (grant.id() != null) grantsById.put(grant.id(), grant);
        indexGrant(grant);
    }

    public void removeGrant(ClientGrant grant) {
        grantsById.remove(grant.id());
        Map<String, ClientGrant> byAudience = grantsByClient.get(grant.clientId());
        if (byAudience != null) {
            byAudience.remove(grant.audience());
            if (byAudience.isEmpty()) grantsByClient.remove(grant.clientId());
        }
    }

    public void putSettings(M2mSettings settings, String settingsId) {
        this.settings = settings;
        if (settingsId != null) this.settingsId = settingsId;
    }

    private void indexGrant(ClientGrant grant) {
        grantsByClient.computeIfAbsent(grant.clientId(), k -> new HashMap<>()).put(grant.audience(), grant);
    }
}

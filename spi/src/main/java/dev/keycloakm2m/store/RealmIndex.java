package dev.keycloakm2m.store;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.api.ApiComponent;
import dev.keycloakm2m.api.ResourceServer;
import dev.keycloakm2m.grant.ClientGrant;
import dev.keycloakm2m.grant.GrantComponent;
import dev.keycloakm2m.quota.ClientQuota;
import dev.keycloakm2m.quota.QuotaComponent;
import dev.keycloakm2m.quota.TokenQuota;
import dev.keycloakm2m.settings.M2mSettings;
import dev.keycloakm2m.settings.SettingsComponent;

/**
 * Everything the extension stores for one realm, indexed for the token path: APIs by identifier, grants by
 * (client, audience), settings. Immutable; built from the realm's components in one pass and replaced when the
 * realm's {@value Components#REVISION_ATTRIBUTE} changes.
 */
public final class RealmIndex {

    private static final Logger LOG = Logger.getLogger(RealmIndex.class);
    public static final Comparator<ResourceServer> API_ORDER = Comparator.comparing(ResourceServer::identifier);
    public static final Comparator<ClientGrant> GRANT_ORDER = Comparator.comparing(ClientGrant::clientId)
            .thenComparing(ClientGrant::audience);

    final String revision;
    final Map<String, ResourceServer> apisById;
    final Map<String, ResourceServer> apisByIdentifier;
    final Map<String, ClientGrant> grantsById;
    final Map<String, Map<String, ClientGrant>> grantsByClient;
    final Map<String, ClientQuota> quotasByClient;
    final M2mSettings settings;
    final String settingsId;
    private volatile List<ResourceServer> apisInOrder;
    private volatile List<ClientGrant> grantsInOrder;

    RealmIndex(String revision, Map<String, ResourceServer> apisById, Map<String, ClientGrant> grantsById,
               Map<String, ClientQuota> quotasByClient, M2mSettings settings, String settingsId) {
        this.quotasByClient = quotasByClient;
        this.revision = revision;
        this.apisById = apisById;
        this.grantsById = grantsById;
        this.settings = settings;
        this.settingsId = settingsId;
        this.apisByIdentifier = new HashMap<>();
        apisById.values().forEach(a -> apisByIdentifier.put(a.identifier(), a));
        this.grantsByClient = new HashMap<>();
        grantsById.values().forEach(g -> grantsByClient.computeIfAbsent(g.clientId(), k -> new HashMap<>()).put(g.audience(), g));
    }

    static RealmIndex build(RealmModel realm, String revision) {
        Map<String, ResourceServer> apis = new LinkedHashMap<>();
        Map<String, ClientGrant> grants = new LinkedHashMap<>();
        Map<String, ClientQuota> quotas = new LinkedHashMap<>();
        realm.getComponentsStream(realm.getId(), Components.PAGE_TYPE).forEach(c -> {
            if (ApiComponent.is(c)) {
                ResourceServer api = ApiComponent.read(c);
                if (api != null) apis.put(api.id(), api);
                else LOG.warnf("Realm %s: ignoring unreadable API component %s", realm.getName(), c.getId());
            } else if (GrantComponent.is(c)) {
                ClientGrant grant = GrantComponent.read(c);
                if (grant != null) grants.put(grant.id(), grant);
                else LOG.warnf("Realm %s: ignoring unreadable client grant component %s", realm.getName(), c.getId());
            } else if (QuotaComponent.is(c)) {
                ClientQuota quota = QuotaComponent.read(c);
                if (quota != null) quotas.put(quota.clientId(), quota);
                else LOG.warnf("Realm %s: ignoring unreadable token quota component %s", realm.getName(), c.getId());
            }
        });
        // component config does not keep the order of multi-valued entries: grants list scopes in their API's order
        Map<String, ResourceServer> byIdentifier = new HashMap<>();
        apis.values().forEach(a -> byIdentifier.put(a.identifier(), a));
        grants.replaceAll((id, g) -> {
            ResourceServer api = byIdentifier.get(g.audience());
            return api == null ? g : g.inScopeOrderOf(api.scopeValues());
        });
        ComponentModel settingsComponent = realm.getComponentsStream(realm.getId(), Components.TAB_TYPE)
                .filter(SettingsComponent::is).findFirst().orElse(null);
        M2mSettings settings = settingsComponent == null ? M2mSettings.DEFAULTS : SettingsComponent.read(settingsComponent);
        return new RealmIndex(revision, apis, grants, quotas, settings, settingsComponent == null ? null : settingsComponent.getId());
    }

    public String revision() {
        return revision;
    }

    public Optional<ResourceServer> apiByIdentifier(String identifier) {
        return Optional.ofNullable(apisByIdentifier.get(identifier));
    }

    public Optional<ResourceServer> apiById(String id) {
        return Optional.ofNullable(apisById.get(id));
    }

    public Optional<ClientGrant> grant(String clientId, String audience) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? Optional.empty() : Optional.ofNullable(byAudience.get(audience));
    }

    public Optional<ClientGrant> grantById(String id) {
        return Optional.ofNullable(grantsById.get(id));
    }

    /** The client's own quota, if configured. */
    public Optional<ClientQuota> quota(String clientId) {
        return Optional.ofNullable(quotasByClient.get(clientId));
    }

    /** The quota that applies to a client: its own, else the realm default, else none ({@code null}). */
    public TokenQuota effectiveQuota(String clientId) {
        ClientQuota own = quotasByClient.get(clientId);
        return own != null ? own.quota() : settings.defaultQuota();
    }

    public Collection<ClientQuota> quotas() {
        return Collections.unmodifiableCollection(quotasByClient.values());
    }

    public Collection<ResourceServer> apis() {
        return Collections.unmodifiableCollection(apisById.values());
    }

    public Collection<ClientGrant> grants() {
        return Collections.unmodifiableCollection(grantsById.values());
    }

    /** APIs in a stable listing order (by identifier), computed once per index. */
    public List<ResourceServer> apisInOrder() {
        List<ResourceServer> sorted = apisInOrder;
        if (sorted == null) {
            sorted = apisById.values().stream().sorted(API_ORDER).toList();
            apisInOrder = sorted;
        }
        return sorted;
    }

    /** Grants in a stable listing order (by client id, then audience), computed once per index. */
    public List<ClientGrant> grantsInOrder() {
        List<ClientGrant> sorted = grantsInOrder;
        if (sorted == null) {
            sorted = grantsById.values().stream().sorted(GRANT_ORDER).toList();
            grantsInOrder = sorted;
        }
        return sorted;
    }

    /** The grants of one client, by audience. */
    public List<ClientGrant> grantsOfClient(String clientId) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? List.of() : byAudience.values().stream().sorted(GRANT_ORDER).toList();
    }

    public M2mSettings settings() {
        return settings;
    }

    public String settingsId() {
        return settingsId;
    }
}

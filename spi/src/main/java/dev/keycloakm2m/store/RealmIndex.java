package dev.keycloakm2m.store;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

/**
 * Everything the extension stores for one realm, indexed for the token path: APIs by identifier, grants by
 * (clientId, audience), quotas by clientId, settings. Immutable; read from our tables in one pass (four queries)
 * and replaced as a whole when the realm's m2m data change ({@link RealmIndexCache}).
 */
public final class RealmIndex {

    private static final Logger LOG = Logger.getLogger(RealmIndex.class);
    public static final Comparator<ResourceServer> API_ORDER = Comparator.comparing(ResourceServer::identifier);
    public static final Comparator<ClientGrant> GRANT_ORDER = Comparator.comparing(ClientGrant::clientId)
            .thenComparing(ClientGrant::audience);

    static final RealmIndex EMPTY = new RealmIndex(null, Map.of(), Map.of(), Map.of(), M2mSettings.DEFAULTS);

    final String revision;
    final Map<String, ResourceServer> apisById;
    final Map<String, ResourceServer> apisByIdentifier;
    final Map<String, ClientGrant> grantsById;
    final Map<String, Map<String, ClientGrant>> grantsByClient;
    final Map<String, ClientQuota> quotasByClient;
    final M2mSettings settings;
    /** grant id → ids of the organizations associated with it. */
    final Map<String, Set<String>> orgsByGrant;
    /** organization id → its own quota. */
    final Map<String, OrganizationQuota> orgQuotas;
    private final List<ResourceServer> apisInOrder;
    private final List<ClientGrant> grantsInOrder;

    RealmIndex(String revision, Map<String, ResourceServer> apisById, Map<String, ClientGrant> grantsById,
               Map<String, ClientQuota> quotasByClient, M2mSettings settings) {
        this(revision, apisById, grantsById, quotasByClient, settings, Map.of(), Map.of());
    }

    RealmIndex(String revision, Map<String, ResourceServer> apisById, Map<String, ClientGrant> grantsById,
               Map<String, ClientQuota> quotasByClient, M2mSettings settings, Map<String, Set<String>> orgsByGrant,
               Map<String, OrganizationQuota> orgQuotas) {
        this.revision = revision;
        this.orgsByGrant = orgsByGrant;
        this.orgQuotas = orgQuotas;
        this.apisById = apisById;
        this.grantsById = grantsById;
        this.quotasByClient = quotasByClient;
        this.settings = settings;
        this.apisByIdentifier = new HashMap<>();
        apisById.values().forEach(a -> apisByIdentifier.put(a.identifier(), a));
        this.grantsByClient = new HashMap<>();
        grantsById.values().forEach(g -> grantsByClient.computeIfAbsent(g.clientId(), k -> new HashMap<>()).put(g.audience(), g));
        this.apisInOrder = apisById.values().stream().sorted(API_ORDER).toList();
        this.grantsInOrder = grantsById.values().stream().sorted(GRANT_ORDER).toList();
    }

    /** An index of the given data (tests, importers): grants refer to APIs by identifier and to clients by clientId. */
    public static RealmIndex of(Collection<ResourceServer> apis, Collection<ClientGrant> grants, Collection<ClientQuota> quotas,
                                M2mSettings settings) {
        Map<String, ResourceServer> apisById = new LinkedHashMap<>();
        apis.forEach(a -> apisById.put(a.id(), a));
        Map<String, ClientGrant> grantsById = new LinkedHashMap<>();
        grants.forEach(g -> grantsById.put(g.id(), g));
        Map<String, ClientQuota> quotasByClient = new LinkedHashMap<>();
        quotas.forEach(q -> quotasByClient.put(q.clientId(), q));
        return new RealmIndex(null, apisById, grantsById, quotasByClient, settings);
    }

    /** {@link #of} with organization associations (grant id → organization ids) and organization quotas. */
    public static RealmIndex of(Collection<ResourceServer> apis, Collection<ClientGrant> grants, Collection<ClientQuota> quotas,
                                M2mSettings settings, Map<String, Set<String>> orgsByGrant, Collection<OrganizationQuota> orgQuotas) {
        RealmIndex base = of(apis, grants, quotas, settings);
        Map<String, OrganizationQuota> byOrg = new LinkedHashMap<>();
        orgQuotas.forEach(q -> byOrg.put(q.organizationId(), q));
        return new RealmIndex(null, base.apisById, base.grantsById, base.quotasByClient, settings, Map.copyOf(orgsByGrant), byOrg);
    }

    /** Reads the realm's committed data. {@code clientIds}: internal client id to clientId, for the realm's clients. */
    static RealmIndex load(EntityManager em, String realmId, Map<String, String> clientIds) {
        RealmSettingsEntity realmRow = em.find(RealmSettingsEntity.class, realmId);
        String revision = realmRow == null ? null : realmRow.revision;
        M2mSettings settings = realmRow == null ? M2mSettings.DEFAULTS : realmRow.toRecord();
        Map<String, ResourceServer> apis = new LinkedHashMap<>();
        em.createQuery("select distinct a from ApiEntity a left join fetch a.scopes where a.realmId = :realmId", ApiEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(a -> apis.put(a.id, a.toRecord()));
        Map<String, ClientGrant> grants = new LinkedHashMap<>();
        em.createQuery("select distinct g from GrantEntity g left join fetch g.scopes where g.realmId = :realmId", GrantEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(g -> {
                    String clientId = clientIds.get(g.clientId);
                    ResourceServer api = apis.get(g.apiId);
                    if (clientId == null || api == null) {
                        LOG.debugf("Realm %s: grant %s names a client or API that is gone", realmId, g.id);
                        return;
                    }
                    grants.put(g.id, new ClientGrant(g.id, clientId, api.identifier(), List.copyOf(g.scopes), g.allowAllScopes,
                            g.organizationUsage(), Boolean.TRUE.equals(g.allowAnyOrganization)));
                });
        Map<String, ClientQuota> quotas = new LinkedHashMap<>();
        em.createQuery("select q from QuotaEntity q where q.realmId = :realmId", QuotaEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(q -> {
                    String clientId = clientIds.get(q.clientId);
                    if (clientId != null) quotas.put(clientId, new ClientQuota(q.id, clientId, new TokenQuota(q.perHour, q.perDay, q.enforce)));
                });
        Map<String, Set<String>> orgsByGrant = new HashMap<>();
        em.createQuery("select o from OrgGrantEntity o where o.realmId = :realmId", OrgGrantEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(o -> orgsByGrant.computeIfAbsent(o.grantId, k -> new HashSet<>()).add(o.orgId));
        Map<String, OrganizationQuota> orgQuotas = new LinkedHashMap<>();
        em.createQuery("select q from OrgQuotaEntity q where q.realmId = :realmId", OrgQuotaEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(q -> orgQuotas.put(q.orgId, new OrganizationQuota(q.id, q.orgId, new TokenQuota(q.perHour, q.perDay, q.enforce))));
        return new RealmIndex(revision, apis, grants, quotas, settings, orgsByGrant, orgQuotas);
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

    /** APIs in a stable listing order (by identifier). */
    public List<ResourceServer> apisInOrder() {
        return apisInOrder;
    }

    /** Grants in a stable listing order (by client id, then audience). */
    public List<ClientGrant> grantsInOrder() {
        return grantsInOrder;
    }

    /** The grants of one client, by audience. */
    public List<ClientGrant> grantsOfClient(String clientId) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? List.of() : byAudience.values().stream().sorted(GRANT_ORDER).toList();
    }

    public M2mSettings settings() {
        return settings;
    }

    // ---- organizations

    /** Ids of the organizations associated with the grant. */
    public Set<String> organizationsOfGrant(String grantId) {
        Set<String> orgs = orgsByGrant.get(grantId);
        return orgs == null ? Set.of() : Collections.unmodifiableSet(orgs);
    }

    /** Whether the organization is associated with the grant. */
    public boolean associated(String grantId, String organizationId) {
        return organizationsOfGrant(grantId).contains(organizationId);
    }

    /** The grants the organization is associated with, in the listing order. */
    public List<ClientGrant> grantsOfOrganization(String organizationId) {
        return grantsInOrder.stream().filter(g -> associated(g.id(), organizationId)).toList();
    }

    /** grant id → organization ids, every association of the realm. */
    public Map<String, Set<String>> associations() {
        return Collections.unmodifiableMap(orgsByGrant);
    }

    /** The organization's own quota, if configured. */
    public Optional<OrganizationQuota> organizationQuota(String organizationId) {
        return Optional.ofNullable(orgQuotas.get(organizationId));
    }

    /** The quota that applies to an organization: its own, else the realm default for organizations, else none. */
    public TokenQuota effectiveOrganizationQuota(String organizationId) {
        OrganizationQuota own = orgQuotas.get(organizationId);
        return own != null ? own.quota() : settings.defaultOrganizationQuota();
    }

    public Collection<OrganizationQuota> organizationQuotas() {
        return Collections.unmodifiableCollection(orgQuotas.values());
    }
}

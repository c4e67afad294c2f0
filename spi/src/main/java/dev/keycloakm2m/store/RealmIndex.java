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
import java.util.function.Function;

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

    /** The default first, then by client id. */
    public static final Comparator<RateLimitPolicy> POLICY_ORDER = Comparator.comparing(RateLimitPolicy::isDefault).reversed()
            .thenComparing(p -> p.clientId() == null ? "" : p.clientId());

    static final RealmIndex EMPTY = new RealmIndex(0, Map.of(), Map.of(), Map.of(), List.of(), M2mSettings.DEFAULTS);

    final long revision;
    final Map<String, ResourceServer> apisById;
    final Map<String, ResourceServer> apisByIdentifier;
    final Map<String, ClientGrant> grantsById;
    final Map<String, Map<String, ClientGrant>> grantsByClient;
    final Map<String, ClientQuota> quotasByClient;
    final M2mSettings settings;
    /** Rate-limit policies by id; by clientId; the realm default ({@code null} when none). */
    final Map<String, RateLimitPolicy> policiesById;
    final Map<String, RateLimitPolicy> policiesByClient;
    final RateLimitPolicy defaultPolicy;
    private final List<RateLimitPolicy> policiesInOrder;
    /** grant id → ids of the organizations associated with it. */
    final Map<String, Set<String>> orgsByGrant;
    /** organization id → its own quota. */
    final Map<String, OrganizationQuota> orgQuotas;
    private volatile List<ResourceServer> apisInOrder;
    private volatile List<ClientGrant> grantsInOrder;

    RealmIndex(long revision, Map<String, ResourceServer> apisById, Map<String, ClientGrant> grantsById,
               Map<String, ClientQuota> quotasByClient, Collection<RateLimitPolicy> policies, M2mSettings settings) {
        this(revision, apisById, grantsById, quotasByClient, policies, settings, Map.of(), Map.of());
    }

    RealmIndex(long revision, Map<String, ResourceServer> apisById, Map<String, ClientGrant> grantsById,
               Map<String, ClientQuota> quotasByClient, Collection<RateLimitPolicy> policies, M2mSettings settings,
               Map<String, Set<String>> orgsByGrant, Map<String, OrganizationQuota> orgQuotas) {
        this.revision = revision;
        this.orgsByGrant = orgsByGrant;
        this.orgQuotas = orgQuotas;
        this.policiesById = new LinkedHashMap<>();
        this.policiesByClient = new HashMap<>();
        RateLimitPolicy realmDefault = null;
        for (RateLimitPolicy p : policies) {
            policiesById.put(p.id(), p);
            if (p.isDefault()) realmDefault = p;
            else policiesByClient.put(p.clientId(), p);
        }
        this.defaultPolicy = realmDefault;
        this.policiesInOrder = policies.stream().sorted(POLICY_ORDER).toList();
        this.apisById = apisById;
        this.grantsById = grantsById;
        this.quotasByClient = quotasByClient;
        this.settings = settings;
        this.apisByIdentifier = new HashMap<>();
        apisById.values().forEach(a -> apisByIdentifier.put(a.identifier(), a));
        this.grantsByClient = new HashMap<>();
        grantsById.values().forEach(g -> grantsByClient.computeIfAbsent(g.clientId(), k -> new HashMap<>()).put(g.audience(), g));
    }

    /** An index of the given data (tests, importers): grants refer to APIs by identifier and to clients by clientId. */
    public static RealmIndex of(Collection<ResourceServer> apis, Collection<ClientGrant> grants, Collection<ClientQuota> quotas,
                                M2mSettings settings) {
        return of(apis, grants, quotas, List.of(), settings);
    }

    /** {@link #of(Collection, Collection, Collection, M2mSettings)} with rate-limit policies. */
    public static RealmIndex of(Collection<ResourceServer> apis, Collection<ClientGrant> grants, Collection<ClientQuota> quotas,
                                Collection<RateLimitPolicy> policies, M2mSettings settings) {
        Map<String, ResourceServer> apisById = new LinkedHashMap<>();
        apis.forEach(a -> apisById.put(a.id(), a));
        Map<String, ClientGrant> grantsById = new LinkedHashMap<>();
        grants.forEach(g -> grantsById.put(g.id(), g));
        Map<String, ClientQuota> quotasByClient = new LinkedHashMap<>();
        quotas.forEach(q -> quotasByClient.put(q.clientId(), q));
        return new RealmIndex(0, apisById, grantsById, quotasByClient, policies, settings);
    }

    /** {@link #of} with organization associations (grant id → organization ids) and organization quotas. */
    public static RealmIndex of(Collection<ResourceServer> apis, Collection<ClientGrant> grants, Collection<ClientQuota> quotas,
                                M2mSettings settings, Map<String, Set<String>> orgsByGrant, Collection<OrganizationQuota> orgQuotas) {
        RealmIndex base = of(apis, grants, quotas, settings);
        Map<String, OrganizationQuota> byOrg = new LinkedHashMap<>();
        orgQuotas.forEach(q -> byOrg.put(q.organizationId(), q));
        return new RealmIndex(0, base.apisById, base.grantsById, base.quotasByClient, List.of(), settings, Map.copyOf(orgsByGrant), byOrg);
    }

    /** Reads the realm's committed data. {@code clientIds}: internal client id to clientId, for the realm's clients. */
    static RealmIndex load(EntityManager em, String realmId, Map<String, String> clientIds) {
        RealmSettingsEntity realmRow = em.find(RealmSettingsEntity.class, realmId);
        long revision = realmRow == null ? 0 : realmRow.revision;
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
                    grants.put(g.id, g.toRecord(clientId, api));
                });
        Map<String, ClientQuota> quotas = new LinkedHashMap<>();
        em.createQuery("select q from QuotaEntity q where q.realmId = :realmId", QuotaEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(q -> {
                    String clientId = clientIds.get(q.clientId);
                    if (clientId != null) quotas.put(clientId, q.toRecord(clientId));
                });
        List<RateLimitPolicy> policies = new java.util.ArrayList<>();
        em.createQuery("select p from RateLimitPolicyEntity p where p.realmId = :realmId", RateLimitPolicyEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(p -> {
                    if (p.clientId == null) {
                        policies.add(p.toRecord(null));
                        return;
                    }
                    String clientId = clientIds.get(p.clientId);
                    if (clientId != null) policies.add(p.toRecord(clientId));
                });
        Map<String, Set<String>> orgsByGrant = new HashMap<>();
        em.createQuery("select o from OrgGrantEntity o where o.realmId = :realmId", OrgGrantEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(o -> orgsByGrant.computeIfAbsent(o.grantId, k -> new HashSet<>()).add(o.orgId));
        Map<String, OrganizationQuota> orgQuotas = new LinkedHashMap<>();
        em.createQuery("select q from OrgQuotaEntity q where q.realmId = :realmId", OrgQuotaEntity.class)
                .setParameter("realmId", realmId).setHint("org.hibernate.readOnly", true).getResultList()
                .forEach(q -> orgQuotas.put(q.orgId, new OrganizationQuota(q.id, q.orgId, new TokenQuota(q.perHour, q.perDay, q.enforce))));
        return new RealmIndex(revision, apis, grants, quotas, policies, settings, orgsByGrant, orgQuotas);
    }

    /**
     * This index with the given changes read from the committed rows (in {@code em}'s transaction), at
     * {@code revision}; {@code null} when a change can only be followed by reading the whole index (an API's
     * identifier changed, a quota of a client that is gone). {@code clientIdOf}: internal id to clientId
     * ({@code null}: no such client in the realm).
     */
    RealmIndex patched(EntityManager em, String realmId, long revision, List<M2mStore.Change> changes,
                       Function<String, String> clientIdOf) {
        Map<String, ResourceServer> apis = new LinkedHashMap<>(apisById);
        Map<String, ClientGrant> grants = new LinkedHashMap<>(grantsById);
        Map<String, ClientQuota> quotas = new LinkedHashMap<>(quotasByClient);
        Map<String, RateLimitPolicy> policies = new LinkedHashMap<>(policiesById);
        M2mSettings newSettings = settings;
        for (M2mStore.Change change : changes) {
            switch (change.kind()) {
                case M2mStore.Change.API -> {
                    ApiEntity e = em.find(ApiEntity.class, change.id());
                    ResourceServer old = apis.get(change.id());
                    if (old != null) grants.values().removeIf(g -> g.audience().equals(old.identifier()));
                    if (e == null || !realmId.equals(e.realmId)) {
                        apis.remove(change.id());
                        continue;
                    }
                    ResourceServer api = e.toRecord();
                    if (old != null && !old.identifier().equals(api.identifier())) return null;
                    apis.put(api.id(), api);
                    em.createQuery("select g from GrantEntity g where g.apiId = :apiId", GrantEntity.class)
                            .setParameter("apiId", api.id()).setHint("org.hibernate.readOnly", true).getResultList()
                            .forEach(g -> {
                                String clientId = clientIdOf.apply(g.clientId);
                                if (clientId != null) grants.put(g.id, g.toRecord(clientId, api));
                            });
                }
                case M2mStore.Change.GRANT -> {
                    GrantEntity g = em.find(GrantEntity.class, change.id());
                    ResourceServer api = g == null ? null : apis.get(g.apiId);
                    String clientId = api == null || !realmId.equals(g.realmId) ? null : clientIdOf.apply(g.clientId);
                    if (clientId == null) grants.remove(change.id());
                    else grants.put(g.id, g.toRecord(clientId, api));
                }
                case M2mStore.Change.QUOTA -> {
                    String clientId = clientIdOf.apply(change.id());
                    if (clientId == null) return null;
                    QuotaEntity q = em.find(QuotaEntity.class, change.id());
                    if (q == null) quotas.remove(clientId);
                    else quotas.put(clientId, q.toRecord(clientId));
                }
                case M2mStore.Change.POLICY -> {
                    RateLimitPolicyEntity p = em.find(RateLimitPolicyEntity.class, change.id());
                    if (p == null || !realmId.equals(p.realmId)) {
                        policies.remove(change.id());
                        continue;
                    }
                    String clientId = p.clientId == null ? null : clientIdOf.apply(p.clientId);
                    if (p.clientId != null && clientId == null) return null;
                    policies.put(p.id, p.toRecord(clientId));
                }
                default -> {
                    RealmSettingsEntity r = em.find(RealmSettingsEntity.class, realmId);
                    newSettings = r == null ? M2mSettings.DEFAULTS : r.toRecord();
                }
            }
        }
        // organization associations and quotas are not patched: their writes make every node read the whole index
        return new RealmIndex(revision, apis, grants, quotas, policies.values(), newSettings, orgsByGrant, orgQuotas);
    }

    public long revision() {
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
        List<ResourceServer> list = apisInOrder;
        if (list == null) apisInOrder = list = apisById.values().stream().sorted(API_ORDER).toList();
        return list;
    }

    /** Grants in a stable listing order (by client id, then audience). */
    public List<ClientGrant> grantsInOrder() {
        List<ClientGrant> list = grantsInOrder;
        if (list == null) grantsInOrder = list = grantsById.values().stream().sorted(GRANT_ORDER).toList();
        return list;
    }

    /** The grants of one client, by audience. */
    public List<ClientGrant> grantsOfClient(String clientId) {
        Map<String, ClientGrant> byAudience = grantsByClient.get(clientId);
        return byAudience == null ? List.of() : byAudience.values().stream().sorted(GRANT_ORDER).toList();
    }

    public M2mSettings settings() {
        return settings;
    }

    // ---- rate-limit policies

    /** Whether the realm has any rate-limit policy (the token path's first, cheapest check). */
    public boolean hasRateLimitPolicies() {
        return !policiesById.isEmpty();
    }

    /** The policy that applies to a client: its own, else the realm default, else none ({@code null}). */
    public RateLimitPolicy effectiveRateLimitPolicy(String clientId) {
        RateLimitPolicy own = policiesByClient.get(clientId);
        return own != null ? own : defaultPolicy;
    }

    /** The client's own policy ({@code clientId} {@code null}: the realm default). */
    public Optional<RateLimitPolicy> rateLimitPolicy(String clientId) {
        return Optional.ofNullable(clientId == null ? defaultPolicy : policiesByClient.get(clientId));
    }

    public Optional<RateLimitPolicy> rateLimitPolicyById(String id) {
        return Optional.ofNullable(policiesById.get(id));
    }

    /** Policies in a stable listing order: the default first, then by client id. */
    public List<RateLimitPolicy> rateLimitPoliciesInOrder() {
        return policiesInOrder;
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
        return grantsInOrder().stream().filter(g -> associated(g.id(), organizationId)).toList();
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

package dev.keycloakm2m.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakm2m.kc.KeycloakAdapter;

/**
 * Writes of APIs, client grants, client quotas, organization associations and quotas, and realm settings into our tables, in the caller's transaction.
 * Uniqueness (an API identifier, a (client, API) grant, one quota per client) is the database's: a write that
 * breaks it fails with {@link Conflict}. Every write marks its realm changed: once the transaction has committed,
 * the realm's revision row gets a new value and every node drops its cached index ({@link RealmIndexCache}), once
 * per transaction and realm however many rows were written (the bulk path of a realm import).
 */
public final class M2mStore {

    /** Cluster message key: "the m2m data of realm X changed". */
    static final String CHANGED_EVENT = "m2m-realm-changed";

    private static final Logger LOG = Logger.getLogger(M2mStore.class);
    private static final String CHANGED_ATTRIBUTE = "m2m.changed:";

    private M2mStore() {
    }

    /** A write refused by a unique or foreign key constraint: someone else wrote the same thing first. */
    public static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(Throwable cause) {
            super(cause);
        }
    }

    private static EntityManager em(KeycloakSession session) {
        return KeycloakAdapter.entityManager(session);
    }

    // ---- APIs

    /** Creates the API (its id is assigned here) and returns it with its id. */
    public static ResourceServer createApi(KeycloakSession session, String realmId, ResourceServer api) {
        ApiEntity e = new ApiEntity();
        e.id = api.id() != null ? api.id() : KeycloakModelUtils.generateId();
        e.realmId = realmId;
        e.set(api);
        EntityManager em = em(session);
        em.persist(e);
        flush(em);
        changed(session, realmId, Change.api(e.id));
        return api.withId(e.id);
    }

    /**
     * Updates the API; scopes it no longer defines are removed from its grants, the grants' scopes follow its order.
     */
    public static void updateApi(KeycloakSession session, String realmId, ResourceServer api) {
        EntityManager em = em(session);
        ApiEntity e = em.find(ApiEntity.class, api.id());
        if (e == null || !realmId.equals(e.realmId)) throw new Conflict(null);
        e.set(api);
        List<String> order = api.scopes().stream().map(ApiScope::value).toList();
        for (GrantEntity g : em.createQuery("select g from GrantEntity g where g.apiId = :apiId", GrantEntity.class)
                .setParameter("apiId", api.id()).getResultList()) {
            List<String> kept = order.stream().filter(g.scopes::contains).toList();
            if (!kept.equals(g.scopes)) {
                g.scopes.clear();
                g.scopes.addAll(kept);
            }
        }
        flush(em);
        changed(session, realmId, Change.api(api.id()));
    }

    /** Deletes the API and its grants; clears the realm's default audience if it named the API. */
    public static void deleteApi(KeycloakSession session, String realmId, String apiId) {
        EntityManager em = em(session);
        ApiEntity e = em.find(ApiEntity.class, apiId);
        if (e == null) return;
        for (GrantEntity g : em.createQuery("select g from GrantEntity g where g.apiId = :apiId", GrantEntity.class)
                .setParameter("apiId", apiId).getResultList()) {
            em.remove(g);
        }
        RealmSettingsEntity realm = em.find(RealmSettingsEntity.class, realmId);
        if (realm != null && e.identifier.equals(realm.defaultAudience)) {
            realm.defaultAudience = null;
            LOG.infof("Realm %s: default audience cleared, its API %s was deleted", realmId, e.identifier);
        }
        em.remove(e);
        flush(em);
        changed(session, realmId, Change.api(apiId));
        changed(session, realmId, Change.SETTINGS);
    }

    // ---- client grants

    /**
     * Creates or replaces a grant. {@code clientInternalId}: the client's CLIENT.ID; {@code apiId}: the API's id.
     * Returns the grant with its id.
     */
    public static ClientGrant saveGrant(KeycloakSession session, String realmId, String clientInternalId, String apiId, ClientGrant grant) {
        EntityManager em = em(session);
        GrantEntity e = grant.id() == null ? null : em.find(GrantEntity.class, grant.id());
        if (e == null) {
            e = new GrantEntity();
            e.id = grant.id() != null ? grant.id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            e.clientId = clientInternalId;
            e.apiId = apiId;
            e.set(grant);
            em.persist(e);
        } else {
            e.set(grant);
        }
        flush(em);
        changed(session, realmId, Change.grant(e.id));
        return grant.withId(e.id);
    }

    public static void deleteGrant(KeycloakSession session, String realmId, String grantId) {
        em(session).createQuery("delete from OrgGrantEntity o where o.grantId = :grantId").setParameter("grantId", grantId)
                .executeUpdate();
        deleteRow(session, realmId, GrantEntity.class, grantId);
        changed(session, realmId, Change.grant(grantId));
    }

    /** Deletes one row by primary key (absent: nothing happens). */
    private static void deleteRow(KeycloakSession session, String realmId, Class<?> entity, String key) {
        EntityManager em = em(session);
        Object e = em.find(entity, key);
        if (e != null) em.remove(e);
        flush(em);
    }

    // ---- client quotas

    /** Creates or replaces the client's own quota; returns it with its id. */
    public static ClientQuota saveQuota(KeycloakSession session, String realmId, String clientInternalId, ClientQuota quota) {
        EntityManager em = em(session);
        QuotaEntity e = em.find(QuotaEntity.class, clientInternalId);
        boolean created = e == null;
        if (created) {
            e = new QuotaEntity();
            e.clientId = clientInternalId;
            e.realmId = realmId;
            e.id = quota.id() != null ? quota.id() : KeycloakModelUtils.generateId();
        }
        e.perHour = quota.quota().perHour();
        e.perDay = quota.quota().perDay();
        e.enforce = quota.quota().enforce();
        if (created) em.persist(e);
        flush(em);
        changed(session, realmId, Change.quota(clientInternalId));
        return new ClientQuota(e.id, quota.clientId(), quota.quota());
    }

    public static void deleteQuota(KeycloakSession session, String realmId, String clientInternalId) {
        deleteRow(session, realmId, QuotaEntity.class, clientInternalId);
        changed(session, realmId, Change.quota(clientInternalId));
    }

    // ---- rate-limit policies

    /**
     * Creates or replaces a rate-limit policy. {@code clientInternalId}: the client's CLIENT.ID, {@code null} for the
     * realm default. Returns the policy with its id.
     */
    public static RateLimitPolicy saveRateLimitPolicy(KeycloakSession session, String realmId, String clientInternalId,
                                                      RateLimitPolicy policy) {
        EntityManager em = em(session);
        RateLimitPolicyEntity e = policy.id() == null ? null : em.find(RateLimitPolicyEntity.class, policy.id());
        if (e != null && !realmId.equals(e.realmId)) throw new Conflict(null);
        boolean created = e == null;
        if (created) {
            e = new RateLimitPolicyEntity();
            e.id = policy.id() != null ? policy.id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
        }
        e.set(clientInternalId, policy);
        if (created) em.persist(e);
        flush(em);
        changed(session, realmId, Change.policy(e.id));
        return policy.withId(e.id);
    }

    public static void deleteRateLimitPolicy(KeycloakSession session, String realmId, String policyId) {
        EntityManager em = em(session);
        RateLimitPolicyEntity e = em.find(RateLimitPolicyEntity.class, policyId);
        if (e != null && realmId.equals(e.realmId)) em.remove(e);
        flush(em);
        changed(session, realmId, Change.policy(policyId));
    }

    // ---- organizations

    /** Associates the organization (ORG.ID) with the grant; {@code false} when it already was. */
    public static boolean associate(KeycloakSession session, String realmId, String orgId, String grantId) {
        EntityManager em = em(session);
        if (em.find(OrgGrantEntity.class, new OrgGrantEntity.Key(orgId, grantId)) != null) return false;
        persistAssociation(em, realmId, orgId, grantId);
        flush(em);
        changed(session, realmId);
        return true;
    }

    /** Removes the association; {@code false} when there was none. */
    public static boolean dissociate(KeycloakSession session, String realmId, String orgId, String grantId) {
        EntityManager em = em(session);
        OrgGrantEntity e = em.find(OrgGrantEntity.class, new OrgGrantEntity.Key(orgId, grantId));
        if (e == null) return false;
        em.remove(e);
        flush(em);
        changed(session, realmId);
        return true;
    }

    private static void persistAssociation(EntityManager em, String realmId, String orgId, String grantId) {
        OrgGrantEntity e = new OrgGrantEntity();
        e.orgId = orgId;
        e.grantId = grantId;
        e.realmId = realmId;
        em.persist(e);
    }

    /** Creates or replaces the organization's own quota; returns it with its id. */
    public static OrganizationQuota saveOrganizationQuota(KeycloakSession session, String realmId, OrganizationQuota quota) {
        EntityManager em = em(session);
        OrgQuotaEntity e = em.find(OrgQuotaEntity.class, quota.organizationId());
        boolean created = e == null;
        if (created) {
            e = new OrgQuotaEntity();
            e.orgId = quota.organizationId();
            e.realmId = realmId;
            e.id = quota.id() != null ? quota.id() : KeycloakModelUtils.generateId();
        }
        setLimits(e, quota.quota());
        if (created) em.persist(e);
        flush(em);
        changed(session, realmId);
        return new OrganizationQuota(e.id, e.orgId, quota.quota());
    }

    public static void deleteOrganizationQuota(KeycloakSession session, String realmId, String orgId) {
        EntityManager em = em(session);
        OrgQuotaEntity e = em.find(OrgQuotaEntity.class, orgId);
        if (e != null) em.remove(e);
        flush(em);
        changed(session, realmId);
    }

    private static void setLimits(OrgQuotaEntity e, TokenQuota q) {
        e.perHour = q.perHour();
        e.perDay = q.perDay();
        e.enforce = q.enforce();
    }

    /**
     * Deletes the organization's associations and quota. Called while Keycloak removes the organization (its row's
     * foreign keys cascade too, also on Keycloak versions that announce no removal). Returns how many associations went.
     */
    public static int removeOrganization(KeycloakSession session, String realmId, String orgId) {
        EntityManager em = em(session);
        int associations = em.createQuery("delete from OrgGrantEntity o where o.orgId = :orgId")
                .setParameter("orgId", orgId).executeUpdate();
        int quotas = em.createQuery("delete from OrgQuotaEntity q where q.orgId = :orgId")
                .setParameter("orgId", orgId).executeUpdate();
        if (associations > 0 || quotas > 0) changed(session, realmId);
        return associations;
    }

    // ---- settings

    public static void saveSettings(KeycloakSession session, String realmId, M2mSettings settings) {
        EntityManager em = em(session);
        RealmSettingsEntity e = em.find(RealmSettingsEntity.class, realmId);
        if (e == null) {
            e = new RealmSettingsEntity();
            e.realmId = realmId;
            e.set(settings);
            em.persist(e);
        } else {
            e.set(settings);
        }
        flush(em);
        changed(session, realmId, Change.SETTINGS);
    }

    // ---- bulk

    /**
     * A grant to write: the client's CLIENT.ID, the API's id, the grant (with its id), the ids of the organizations
     * associated with it.
     */
    public record GrantWrite(String clientInternalId, String apiId, ClientGrant grant, List<String> organizationIds) {
        public GrantWrite(String clientInternalId, String apiId, ClientGrant grant) {
            this(clientInternalId, apiId, grant, List.of());
        }
    }

    /** A quota to write: the client's CLIENT.ID and the quota (with its id). */
    public record QuotaWrite(String clientInternalId, ClientQuota quota) {
    }

    /** A rate-limit policy to write: the client's CLIENT.ID ({@code null} for the default) and the policy (with its id). */
    public record RateLimitPolicyWrite(String clientInternalId, RateLimitPolicy policy) {
    }

    /** {@link #writeAll(KeycloakSession, String, List, List, List, List, List, M2mSettings)} without policies or organization quotas. */
    public static void writeAll(KeycloakSession session, String realmId, List<ResourceServer> apis, List<GrantWrite> grants,
                                List<QuotaWrite> quotas, M2mSettings settings) {
        writeAll(session, realmId, apis, grants, quotas, List.of(), List.of(), settings);
    }

    /**
     * Writes many new APIs, grants and quotas (and the settings, unless {@code null}) in the caller's transaction with
     * one flush and one change notification: realm import, upgrade from components, importers. Validation is the
     * caller's (each entity through its validator, against a view that includes the others).
     */
    public static void writeAll(KeycloakSession session, String realmId, List<ResourceServer> apis, List<GrantWrite> grants,
                                List<QuotaWrite> quotas, List<RateLimitPolicyWrite> policies, List<OrganizationQuota> orgQuotas,
                                M2mSettings settings) {
        EntityManager em = em(session);
        for (ResourceServer api : apis) {
            ApiEntity e = new ApiEntity();
            e.id = api.id() != null ? api.id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            e.set(api);
            em.persist(e);
        }
        for (GrantWrite w : grants) {
            GrantEntity e = new GrantEntity();
            e.id = w.grant().id() != null ? w.grant().id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            e.clientId = w.clientInternalId();
            e.apiId = w.apiId();
            e.set(w.grant());
            em.persist(e);
            for (String orgId : w.organizationIds()) {
                persistAssociation(em, realmId, orgId, e.id);
            }
        }
        for (QuotaWrite w : quotas) {
            QuotaEntity e = new QuotaEntity();
            e.clientId = w.clientInternalId();
            e.id = w.quota().id() != null ? w.quota().id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            e.perHour = w.quota().quota().perHour();
            e.perDay = w.quota().quota().perDay();
            e.enforce = w.quota().quota().enforce();
            em.persist(e);
        }
        for (RateLimitPolicyWrite w : policies) {
            RateLimitPolicyEntity e = new RateLimitPolicyEntity();
            e.id = w.policy().id() != null ? w.policy().id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            e.set(w.clientInternalId(), w.policy());
            em.persist(e);
        }
        for (OrganizationQuota q : orgQuotas) {
            OrgQuotaEntity e = new OrgQuotaEntity();
            e.orgId = q.organizationId();
            e.id = q.id() != null ? q.id() : KeycloakModelUtils.generateId();
            e.realmId = realmId;
            setLimits(e, q.quota());
            em.persist(e);
        }
        if (settings != null) {
            saveSettings(session, realmId, settings); // flushes
        } else {
            flush(em);
        }
        changed(session, realmId);
    }

    // ---- what goes with a realm or a client (the foreign keys cascade too; this keeps Hibernate's view right)

    /** Deletes everything of the realm. Called while Keycloak removes the realm, before its row goes. */
    public static void removeRealm(KeycloakSession session, String realmId) {
        EntityManager em = em(session);
        em.flush();
        em.createQuery("delete from OrgGrantEntity o where o.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from OrgQuotaEntity q where q.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from GrantEntity g where g.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from QuotaEntity q where q.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from RateLimitPolicyEntity p where p.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from ApiEntity a where a.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from RealmSettingsEntity r where r.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
        afterCommit(session, () -> {
            RealmIndexCache.forget(realmId);
            KeycloakAdapter.notifyCluster(session.getKeycloakSessionFactory(), CHANGED_EVENT, ChangeMessage.encode(realmId, -1, null));
        });
    }

    /** Deletes the client's grants, quota and rate-limit policy. Returns how many grants went. */
    public static int removeClient(KeycloakSession session, String realmId, String clientInternalId) {
        EntityManager em = em(session);
        em.flush();
        int grants = em.createQuery("delete from GrantEntity g where g.clientId = :clientId")
                .setParameter("clientId", clientInternalId).executeUpdate();
        int quotas = em.createQuery("delete from QuotaEntity q where q.clientId = :clientId")
                .setParameter("clientId", clientInternalId).executeUpdate();
        int policies = em.createQuery("delete from RateLimitPolicyEntity p where p.clientId = :clientId")
                .setParameter("clientId", clientInternalId).executeUpdate();
        if (grants > 0 || quotas > 0 || policies > 0) changed(session, realmId);
        return grants;
    }

    // ---- revision and change propagation

    /** The realm's committed revision (0: the realm never had m2m data). */
    static long revision(KeycloakSession session, String realmId) {
        List<Long> r = em(session).createQuery("select r.revision from RealmSettingsEntity r where r.realmId = :realmId", Long.class)
                .setParameter("realmId", realmId).getResultList();
        return r.isEmpty() ? 0 : r.get(0);
    }

    /**
     * What one committed transaction changed in a realm, told to every node so that each updates its index by
     * reading just those rows ({@link RealmIndexCache#apply}): an API (with its grants), a grant, a client's quota, a
     * rate-limit policy, the settings. {@link #changed(KeycloakSession, String)} (client renamed or deleted, bulk writes) makes every node
     * read the realm's whole index again instead.
     */
    public record Change(char kind, String id) {
        static final char API = 'A';
        static final char GRANT = 'G';
        static final char QUOTA = 'Q';
        static final char POLICY = 'P';
        static final Change SETTINGS = new Change('S', "");
        /** More changes than this in one transaction: the whole index is read again. */
        static final int MAX = 64;

        static Change api(String id) {
            return new Change(API, id);
        }

        static Change grant(String id) {
            return new Change(GRANT, id);
        }

        static Change quota(String clientInternalId) {
            return new Change(QUOTA, clientInternalId);
        }

        static Change policy(String id) {
            return new Change(POLICY, id);
        }
    }

    /** The changes of one transaction in one realm ({@code changes == null}: read everything again). */
    private static final class Pending {
        List<Change> changes = new ArrayList<>();
    }

    /**
     * Marks the realm's m2m data changed in this transaction, in a way only a full read of the realm's index can
     * follow (a client renamed or deleted, bulk writes). See {@link #changed(KeycloakSession, String, Change)}.
     */
    public static void changed(KeycloakSession session, String realmId) {
        changed(session, realmId, null);
    }

    /**
     * Marks one change of the realm's m2m data in this transaction ({@code null}: the whole index must be read again).
     * After the commit, the realm's revision row is incremented (in a short transaction of its own, so concurrent
     * writers do not queue on one row for the length of their transactions), this node's index is updated, and every
     * other node is told which revision was produced and what changed, before this request's response is sent.
     */
    static void changed(KeycloakSession session, String realmId, Change change) {
        String key = CHANGED_ATTRIBUTE + realmId;
        Pending pending = (Pending) session.getAttribute(key);
        if (pending == null) {
            pending = new Pending();
            session.setAttribute(key, pending);
            Pending registered = pending;
            KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
            afterCommit(session, () -> propagate(factory, realmId, registered.changes));
        }
        if (pending.changes == null) return;
        if (change == null || pending.changes.size() >= Change.MAX) {
            pending.changes = null;
        } else if (!pending.changes.contains(change)) {
            pending.changes.add(change);
        }
    }

    private static void propagate(KeycloakSessionFactory factory, String realmId, List<Change> changes) {
        long revision;
        try {
            revision = KeycloakAdapter.inNewTransaction(factory, s -> bumpRevision(s, realmId));
        } catch (RuntimeException first) {
            try { // two first writers of a realm may both have tried to insert its row
                revision = KeycloakAdapter.inNewTransaction(factory, s -> bumpRevision(s, realmId));
            } catch (RuntimeException e) {
                LOG.warnf("Realm %s: could not store the new m2m revision (nodes that miss the cluster message keep the old data"
                        + " until the next change): %s", realmId, e.toString());
                revision = -1;
                changes = null;
            }
        }
        RealmIndexCache.apply(factory, realmId, revision, changes);
        try {
            KeycloakAdapter.notifyCluster(factory, CHANGED_EVENT, ChangeMessage.encode(realmId, revision, changes));
        } catch (RuntimeException e) {
            LOG.warnf("Realm %s: could not tell the other nodes about an m2m change (they notice within %d ms): %s",
                    realmId, RealmIndexCache.CHECK_INTERVAL_MILLIS, e.toString());
        }
    }

    /** Increments the realm's revision (creating its row at 1) and returns the new value. */
    private static long bumpRevision(KeycloakSession s, String realmId) {
        EntityManager em = em(s);
        int updated = em.createQuery("update RealmSettingsEntity r set r.revision = r.revision + 1 where r.realmId = :realmId")
                .setParameter("realmId", realmId).executeUpdate();
        if (updated == 0) {
            if (s.realms().getRealm(realmId) == null) return -1;
            RealmSettingsEntity e = new RealmSettingsEntity();
            e.realmId = realmId;
            e.revision = 1;
            em.persist(e);
            em.flush();
            return 1;
        }
        return revision(s, realmId);
    }

    /** Registers the receiver of other nodes' change messages (once per node, by the bootstrap). */
    public static void listen(KeycloakSessionFactory factory) {
        KeycloakAdapter.registerClusterListener(factory, CHANGED_EVENT, message -> {
            ChangeMessage m = ChangeMessage.decode(message);
            if (m != null) RealmIndexCache.apply(factory, m.realmId(), m.revision(), m.changes());
        });
    }

    private static void afterCommit(KeycloakSession session, Runnable task) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                task.run();
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    /** Flushes so that a constraint violation surfaces here, as a {@link Conflict}. */
    private static void flush(EntityManager em) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (isConstraintViolation(e)) throw new Conflict(e);
            throw e;
        }
    }

    static boolean isConstraintViolation(Throwable e) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = e; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) return true;
            if (t.getClass().getName().endsWith("ConstraintViolationException")) return true;
        }
        return false;
    }
}

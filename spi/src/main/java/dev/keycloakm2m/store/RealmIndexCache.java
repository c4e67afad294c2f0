package dev.keycloakm2m.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.kc.KeycloakAdapter;

/**
 * The token path's cache: one immutable {@link RealmIndex} per realm per node, never part of Keycloak's realm cache.
 * <ul>
 * <li>A committed m2m write increments the realm's revision and tells every node, through Keycloak's cluster
 * messaging (the replicated {@code work} cache, whose listeners run before the sender's write returns), which revision
 * it produced and what it changed (an API, a grant, a quota, the settings). Each node then reads just those rows and
 * replaces its index with a patched copy ({@link #apply}), in milliseconds whatever the realm's size, before the
 * write's response is sent. Changes that cannot be followed row by row (bulk writes, a client renamed or deleted) drop
 * the index instead: it is read again in the background, or by the next request, whichever is first.</li>
 * <li>A node that missed a message (network partition, message lost) notices within {@link #CHECK_INTERVAL_MILLIS}:
 * an index older than that is checked against the realm's revision row (one primary-key read) on its next use, and
 * read again whole when the revision moved past it.</li>
 * </ul>
 */
public final class RealmIndexCache {

    /** How long a node may serve an index without checking the realm's revision: the staleness bound (README). */
    public static final long CHECK_INTERVAL_MILLIS = 5_000;

    private static final Logger LOG = Logger.getLogger(RealmIndexCache.class);
    private static final ConcurrentMap<String, Cached> INDEXES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, AtomicLong> GENERATIONS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final ExecutorService RELOADER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "m2m-index-reload");
        t.setDaemon(true);
        return t;
    });

    private static final class Cached {
        final RealmIndex index;
        volatile long checkedAt;
        /** Revisions above the index's own that were applied out of order (their predecessor not yet seen). */
        final NavigableSet<Long> ahead;

        Cached(RealmIndex index, long checkedAt, NavigableSet<Long> ahead) {
            this.index = index;
            this.checkedAt = checkedAt;
            this.ahead = ahead;
        }
    }

    private RealmIndexCache() {
    }

    /** The realm's committed m2m data, as of at most {@link #CHECK_INTERVAL_MILLIS} ago on a node that missed a message. */
    public static RealmIndex get(KeycloakSession session, RealmModel realm) {
        String realmId = realm.getId();
        Cached cached = INDEXES.get(realmId);
        long now = System.currentTimeMillis();
        if (cached != null) {
            if (now - cached.checkedAt < CHECK_INTERVAL_MILLIS) return cached.index;
            long revision = M2mStore.revision(session, realmId);
            if (revision == cached.index.revision) {
                cached.checkedAt = now;
                return cached.index;
            }
            LOG.debugf("Realm %s: m2m revision changed without a cluster message; reloading", realm.getName());
            invalidate(realmId);
        }
        return load(session.getKeycloakSessionFactory(), realmId);
    }

    /** Reads the realm's index in a transaction of its own (never this session's uncommitted writes) and caches it. */
    static RealmIndex load(KeycloakSessionFactory factory, String realmId) {
        synchronized (LOCKS.computeIfAbsent(realmId, k -> new Object())) {
            Cached cached = INDEXES.get(realmId);
            if (cached != null) return cached.index;
            AtomicLong generation = generation(realmId);
            long before = generation.get();
            long start = System.nanoTime();
            RealmIndex fresh = KeycloakAdapter.inNewTransaction(factory,
                    s -> RealmIndex.load(KeycloakAdapter.entityManager(s), realmId, KeycloakAdapter.clientIds(s, realmId)));
            long loadedAt = System.currentTimeMillis();
            // a change that arrived while reading wins: cache nothing, the next use reads again
            INDEXES.compute(realmId, (k, old) -> generation.get() == before ? new Cached(fresh, loadedAt, new TreeSet<>()) : old);
            LOG.debugf("Realm %s: m2m index read (%d APIs, %d grants, %d quotas) in %d ms", realmId, fresh.apisById.size(),
                    fresh.grantsById.size(), fresh.quotasByClient.size(), (System.nanoTime() - start) / 1_000_000);
            return fresh;
        }
    }

    /**
     * Follows a committed change on this node: the changes are read from the database into a patched copy of the
     * index ({@code changes == null}, or a change that needs it: the index is dropped and read again in the
     * background). Revisions may arrive out of order; the index's revision is the highest one up to which every
     * change has been applied, so that the periodic check reads the whole index again if a message never comes.
     */
    static void apply(KeycloakSessionFactory factory, String realmId, long revision, List<M2mStore.Change> changes) {
        if (changes == null || revision < 0) {
            invalidateAndReload(factory, realmId);
            return;
        }
        synchronized (LOCKS.computeIfAbsent(realmId, k -> new Object())) {
            Cached cached = INDEXES.get(realmId);
            if (cached == null) return; // nothing cached on this node: the next use reads it all
            RealmIndex index = cached.index;
            if (revision <= index.revision || cached.ahead.contains(revision)) return; // read or applied already
            NavigableSet<Long> ahead = new TreeSet<>(cached.ahead);
            ahead.add(revision);
            long contiguous = index.revision;
            while (ahead.remove(contiguous + 1)) contiguous++;
            long newRevision = contiguous;
            RealmIndex patched;
            try {
                patched = KeycloakAdapter.inNewTransaction(factory, s -> {
                    Map<String, String> clientIds = new HashMap<>();
                    return index.patched(KeycloakAdapter.entityManager(s), realmId, newRevision, changes,
                            id -> clientIds.computeIfAbsent(id, k -> KeycloakAdapter.clientIdOf(s, realmId, k)));
                });
            } catch (RuntimeException e) {
                LOG.debugf("Realm %s: could not apply m2m change %d (the index is read again): %s", realmId, revision, e);
                patched = null;
            }
            if (patched == null) {
                invalidateAndReload(factory, realmId);
                return;
            }
            INDEXES.put(realmId, new Cached(patched, cached.checkedAt, ahead));
            LOG.debugf("Realm %s: m2m change %d applied (%s), index at revision %d", realmId, revision, changes, newRevision);
        }
    }

    /** Drops the realm's index on this node (a change was committed, here or on another node). */
    public static void invalidate(String realmId) {
        generation(realmId).incrementAndGet();
        INDEXES.remove(realmId);
    }

    /** Drops the index, then reads it again in the background if it was in use on this node. */
    static void invalidateAndReload(KeycloakSessionFactory factory, String realmId) {
        boolean wasCached = INDEXES.containsKey(realmId);
        invalidate(realmId);
        if (!wasCached) return;
        RELOADER.execute(() -> {
            try {
                load(factory, realmId);
            } catch (RuntimeException e) {
                LOG.debugf("Realm %s: background m2m index reload failed (the next request reads it): %s", realmId, e);
            }
        });
    }

    /** The realm is gone. */
    public static void forget(String realmId) {
        invalidate(realmId);
        GENERATIONS.remove(realmId);
        LOCKS.remove(realmId);
    }

    private static AtomicLong generation(String realmId) {
        return GENERATIONS.computeIfAbsent(realmId, k -> new AtomicLong());
    }
}

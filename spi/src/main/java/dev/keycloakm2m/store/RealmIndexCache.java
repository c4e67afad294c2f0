package dev.keycloakm2m.store;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

/**
 * One {@link RealmIndex} per realm per node, so a token request never scans components. Validity is checked on
 * every use against the realm's revision attribute, which is cached (and invalidated cluster-wide) together with
 * the components themselves: an index can never be newer or older than the realm it was read from.
 */
public final class RealmIndexCache {

    private static final Logger LOG = Logger.getLogger(RealmIndexCache.class);
    private static final ConcurrentMap<String, RealmIndex> INDEXES = new ConcurrentHashMap<>();

    private RealmIndexCache() {
    }

    public static RealmIndex get(RealmModel realm) {
        String revision = realm.getAttribute(Components.REVISION_ATTRIBUTE);
        RealmIndex index = INDEXES.get(realm.getId());
        if (index != null && Objects.equals(index.revision, revision)) {
            return index;
        }
        long start = System.nanoTime();
        RealmIndex fresh = RealmIndex.build(realm, revision);
        INDEXES.put(realm.getId(), fresh);
        LOG.debugf("Realm %s: m2m index rebuilt (%d APIs, %d grants) in %d ms", realm.getName(),
                fresh.apisById.size(), fresh.grantsById.size(), (System.nanoTime() - start) / 1_000_000);
        return fresh;
    }

    /**
     * For write paths: the cached index if it is current, else one built now but NOT cached, because a write
     * transaction may see uncommitted changes that other sessions must not read.
     */
    public static RealmIndex current(RealmModel realm) {
        String revision = realm.getAttribute(Components.REVISION_ATTRIBUTE);
        RealmIndex index = INDEXES.get(realm.getId());
        if (index != null && Objects.equals(index.revision, revision)) {
            return index;
        }
        return RealmIndex.build(realm, revision);
    }

    public static void forget(String realmId) {
        INDEXES.remove(realmId);
    }
}

package dev.keycloakm2m.store;

import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.kc.KeycloakAdapter;

/**
 * After a committed change to a realm's APIs, grants, quotas or settings: loads the realm again into Keycloak's
 * realm cache and rebuilds our index, on this node, before the response to the change is sent.
 * <p>
 * Our data are components, and any component write makes Keycloak drop the cached realm; the next request in the
 * realm then reloads it with all its components. In a realm with thousands of APIs and grants that reload took
 * most of a second, and without this it was paid by the first token request after the change (scenario C of the
 * benchmark, docs/benchmarks.md). Now the admin write pays it, once per transaction, with the components read in
 * one query. Other nodes of a cluster still reload the realm on their next request in it, as for any realm change.
 * A failed warm-up is logged and otherwise ignored: the change is committed, and the next request loads the realm.
 */
final class RealmWarmUp {

    private static final Logger LOG = Logger.getLogger(RealmWarmUp.class);
    private static final String ATTRIBUTE = "m2m.warm-up.";

    private RealmWarmUp() {
    }

    /** Schedules the warm-up of {@code realm} after {@code session}'s transaction commits (once per realm). */
    static void afterCommit(KeycloakSession session, RealmModel realm) {
        String key = ATTRIBUTE + realm.getId();
        if (session.getAttribute(key) != null) return;
        session.setAttribute(key, Boolean.TRUE);
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        String realmName = realm.getName();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                warm(factory, realmId, realmName);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static void warm(KeycloakSessionFactory factory, String realmId, String realmName) {
        long start = System.nanoTime();
        long[] phases = new long[3];
        try {
            boolean warmed = KeycloakAdapter.inNewTransaction(factory, s -> {
                KeycloakAdapter.prefetchComponents(s, realmId);
                phases[0] = System.nanoTime();
                RealmModel realm = s.realms().getRealm(realmId);
                if (realm == null) return false; // removed meanwhile
                phases[1] = System.nanoTime();
                RealmIndexCache.get(realm);
                // nothing was written: spare the commit a dirty check of every component just read
                KeycloakAdapter.entityManager(s).clear();
                phases[2] = System.nanoTime();
                return true;
            });
            if (warmed) {
                LOG.debugf("Realm %s: reloaded into the realm cache after an m2m change in %d ms (components read in %d ms,"
                        + " realm cached in %d ms, index in %d ms)", realmName, ms(start, System.nanoTime()),
                        ms(start, phases[0]), ms(phases[0], phases[1]), ms(phases[1], phases[2]));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Realm %s: reloading the realm after an m2m change failed (the next request loads it): %s",
                    realmName, e.toString());
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

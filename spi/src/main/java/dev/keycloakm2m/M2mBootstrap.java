package dev.keycloakm2m;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.timer.ScheduledTask;

import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.legacy.LegacyImport;
import dev.keycloakm2m.legacy.LegacyModelEvents;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.ratelimit.RateLimits;
import dev.keycloakm2m.store.M2mStore;

/**
 * Wires the extension into a node once: Keycloak's model events (realm, client and organization removed, client
 * renamed, realm imported), the cluster listener of the m2m cache, the token counter cleanup, and the one-time move of m2m data
 * from realm components (0.1.x) into our tables after Keycloak's own database migration.
 */
public final class M2mBootstrap {

    private static final Logger LOG = Logger.getLogger(M2mBootstrap.class);
    private static final long CLEANUP_INTERVAL_MILLIS = 60 * 60 * 1000L;
    private static final String UPGRADE_TASK = "m2m-upgrade-from-components";

    private M2mBootstrap() {
    }

    /** Called once per node, from a provider factory's postInit. */
    public static void start(KeycloakSessionFactory factory) {
        factory.register(M2mBootstrap::onEvent);
        M2mStore.listen(factory);
        KeycloakAdapter.scheduleClusterTask(factory, new CleanupTask(), CLEANUP_INTERVAL_MILLIS);
    }

    private static void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent e) {
            upgradeFromComponents(e.getFactory());
        } else if (event instanceof RealmModel.RealmCreationEvent e) {
            LegacyModelEvents.realmCreating(e.getKeycloakSession(), e.getCreatedRealm());
        } else if (event instanceof RealmModel.RealmPostCreateEvent e) {
            LegacyModelEvents.realmCreated(e.getKeycloakSession(), e.getCreatedRealm());
        } else if (event instanceof RealmModel.RealmRemovedEvent e) {
            M2mStore.removeRealm(e.getKeycloakSession(), e.getRealm().getId());
            QuotaService.forgetRealm(e.getKeycloakSession(), e.getRealm().getId());
            RateLimits.forgetRealm(e.getRealm().getId());
        } else if (event instanceof ClientModel.ClientRemovedEvent e) {
            ClientModel client = e.getClient();
            int grants = M2mStore.removeClient(e.getKeycloakSession(), client.getRealm().getId(), client.getId());
            if (grants > 0) {
                LOG.infof("Realm %s: removed %d client grant(s) of deleted client %s", client.getRealm().getName(), grants,
                        client.getClientId());
            }
            QuotaService.forget(e.getKeycloakSession(), client);
        } else if (event instanceof ClientModel.ClientIdChangeEvent e) {
            // grants and quotas are keyed by the client's internal id: only the cached indexes change
            M2mStore.changed(e.getKeycloakSession(), e.getUpdatedClient().getRealm().getId());
        } else {
            // Keycloak 26.7 announces a removed organization; before, the foreign keys to ORG cascade alone
            Organizations.removal(event).ifPresent(r -> {
                int associations = M2mStore.removeOrganization(r.session(), r.realmId(), r.organizationId());
                QuotaService.forgetOrganization(r.session(), r.organizationId());
                LOG.debugf("Realm %s: removed %d client grant association(s) and the token quota of deleted organization %s",
                        r.realmId(), associations, r.organizationId());
            });
        }
    }

    /**
     * A database written by 0.1.x holds m2m data as realm components: moved into the tables on the first start, by
     * one node of the cluster, one transaction per realm.
     */
    private static void upgradeFromComponents(KeycloakSessionFactory factory) {
        try {
            List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    s -> s.realms().getRealmsStream().map(RealmModel::getId).toList());
            KeycloakAdapter.onceInCluster(factory, UPGRADE_TASK, () -> {
                for (String realmId : realmIds) {
                    KeycloakModelUtils.runJobInTransaction(factory, s -> {
                        RealmModel realm = s.realms().getRealm(realmId);
                        if (realm != null && LegacyImport.hasComponents(realm)) {
                            s.getContext().setRealm(realm);
                            LegacyImport.convert(s, realm, false);
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Moving m2m data from realm components into the m2m tables failed; it is retried on the next start");
        }
    }

    /** Deletes counter rows of clients that counted nothing today or yesterday. */
    static final class CleanupTask implements ScheduledTask {
        @Override
        public void run(org.keycloak.models.KeycloakSession session) {
            int deleted = QuotaService.cleanup(session);
            if (deleted > 0) LOG.debugf("Deleted %d stale token counter rows", deleted);
        }

        @Override
        public String getTaskName() {
            return "m2m-token-counter-cleanup";
        }
    }
}

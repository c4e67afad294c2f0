package dev.keycloakm2m.kc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.workflow.WorkflowScheduleClusterEvent;

import java.util.Set;
import java.util.function.Function;

import jakarta.persistence.EntityManager;

import org.keycloak.common.Profile;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.delegate.ClientModelLazyDelegate;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.services.Urls;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.services.util.DefaultClientSessionContext;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

/**
 * The one place that calls Keycloak-internal classes (besides the grant subclass itself, which must extend one):
 * the upgrade seam. Re-check these against every Keycloak minor version.
 */
public final class KeycloakAdapter {

    private KeycloakAdapter() {
    }

    /**
     * The same client session, but with only the client itself as "client scope": protocol mappers configured
     * directly on the client run, the realm's default client scopes (roles, profile, email, acr, ...) do not.
     */
    public static ClientSessionContext clientMappersOnly(ClientSessionContext ctx, ClientModel client, KeycloakSession session) {
        return DefaultClientSessionContext.fromClientSessionAndClientScopes(ctx.getClientSession(),
                Set.<ClientScopeModel>of(client), null, session);
    }

    /**
     * The client as the token encoder should see it while an API token is signed: the API's algorithm and, for
     * the RFC 9068 dialects, the {@code at+jwt} header type. Everything else is the client itself.
     */
    public static ClientModel signingAs(ClientModel client, String algorithm, boolean rfc9068HeaderType) {
        return new SigningClient(client, algorithm, rfc9068HeaderType);
    }

    public static boolean resourceIndicatorsEnabled() {
        return Profile.isFeatureEnabled(Profile.Feature.RESOURCE_INDICATORS);
    }

    /** Active signing key for the algorithm, without Keycloak's fallback key generation. */
    public static boolean hasActiveSigningKey(KeycloakSession session, RealmModel realm, String algorithm) {
        return session.keys().getKeysStream(realm, KeyUse.SIG, algorithm)
                .anyMatch(k -> k.getStatus() == KeyStatus.ACTIVE && k.getPrivateKey() != null);
    }

    public static String issuer(KeycloakSession session, RealmModel realm) {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }

    /** Keycloak's clock (epoch seconds), which honours Keycloak's time offset: tests can move it. */
    public static long now() {
        return Time.currentTimeMillis() / 1000;
    }

    /** Runs {@code job} in a new session with its own short transaction, committed before this returns. */
    public static <V> V inNewTransaction(KeycloakSessionFactory factory, Function<KeycloakSession, V> job) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, job::apply);
    }

    public static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Internal id to clientId of every client of the realm (one query). */
    public static Map<String, String> clientIds(KeycloakSession session, String realmId) {
        Map<String, String> ids = new HashMap<>();
        entityManager(session)
                .createQuery("select c.id, c.clientId from ClientEntity c where c.realmId = :realmId", Object[].class)
                .setParameter("realmId", realmId)
                .getResultList()
                .forEach(row -> ids.put((String) row[0], (String) row[1]));
        return ids;
    }

    /**
     * Tells every other node of the cluster that the m2m data of {@code realmId} changed. The message travels as a
     * cluster event type Keycloak can marshal (its workflow schedule event, which carries a realm id) under our own
     * key, so that only our listener receives it.
     */
    public static void notifyCluster(KeycloakSessionFactory factory, String key, String realmId) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster != null) {
                cluster.notify(key, WorkflowScheduleClusterEvent.create(realmId, key, false, 0, 0), true,
                        ClusterProvider.DCNotify.ALL_DCS);
            }
        });
    }

    /** Calls {@code onRealm} with the realm id of every message {@link #notifyCluster} sends with {@code key}. */
    public static void registerClusterListener(KeycloakSessionFactory factory, String key, Consumer<String> onRealm) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster == null) return;
            cluster.registerListener(key, event -> {
                if (event instanceof WorkflowScheduleClusterEvent e && e.getRealmId() != null) onRealm.accept(e.getRealmId());
            });
        });
    }

    /** Runs {@code task} on one node of the cluster (the others wait for it, up to 10 minutes). */
    public static void onceInCluster(KeycloakSessionFactory factory, String taskKey, Runnable task) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster == null) {
                task.run();
                return;
            }
            cluster.executeIfNotExecuted(taskKey, 600, () -> {
                task.run();
                return null;
            });
        });
    }

    /** Runs {@code task} every {@code intervalMillis} on one node of the cluster at a time. */
    public static void scheduleClusterTask(KeycloakSessionFactory factory, ScheduledTask task, long intervalMillis) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(new ClusterAwareScheduledTaskRunner(factory, task, intervalMillis), intervalMillis);
            }
        });
    }

    private static final class SigningClient extends ClientModelLazyDelegate {
        private final ClientModel client;
        private final String algorithm;
        private final boolean rfc9068;

        SigningClient(ClientModel client, String algorithm, boolean rfc9068) {
            super(() -> client);
            this.client = client;
            this.algorithm = algorithm;
            this.rfc9068 = rfc9068;
        }

        @Override
        public String getAttribute(String name) {
            if (OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG.equals(name)) return algorithm;
            if (OIDCConfigAttributes.USE_RFC9068_ACCESS_TOKEN_HEADER_TYPE.equals(name)) return String.valueOf(rfc9068);
            return super.getAttribute(name);
        }

        @Override
        public boolean equals(Object o) {
            return client.equals(o instanceof SigningClient s ? s.client : o);
        }

        @Override
        public int hashCode() {
            return client.hashCode();
        }
    }
}

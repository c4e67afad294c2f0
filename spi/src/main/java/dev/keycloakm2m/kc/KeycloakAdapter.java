package dev.keycloakm2m.kc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.keycloak.cluster.ClusterEvent;
import org.keycloak.cluster.ClusterProvider;

import java.util.Set;
import java.util.function.Function;

import jakarta.persistence.EntityManager;

import org.keycloak.common.Profile;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.JpaConnectionProviderFactory;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.AuthenticatedClientSessionModel;
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
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;
import jakarta.ws.rs.core.Response;
import org.keycloak.timer.TimerProvider;
import org.keycloak.provider.Provider;

/**
 * The one place that calls Keycloak-internal classes (besides the grant subclass itself, which must extend one):
 * the upgrade seam. Re-check these against every Keycloak minor version.
 */
public final class KeycloakAdapter {

    /**
     * {@code DefaultClientSessionContext.fromClientSessionAndClientScopes}, normalised to
     * (clientSession, requestedScopes, session): Keycloak 26.5 added a {@code Set<String> restrictedScopes} before
     * the session (passed as {@code null}, as Keycloak does); 26.4 has the three-argument form.
     */
    private static final MethodHandle CLIENT_SCOPES_CONTEXT = clientScopesContext();
    /** {@code Profile.Feature.RESOURCE_INDICATORS}, or {@code null} before Keycloak 26.6, which has no such feature. */
    private static final Profile.Feature RESOURCE_INDICATORS = feature("RESOURCE_INDICATORS");

    private KeycloakAdapter() {
    }

    private static MethodHandle clientScopesContext() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            MethodHandle h = lookup.findStatic(DefaultClientSessionContext.class, "fromClientSessionAndClientScopes",
                    MethodType.methodType(DefaultClientSessionContext.class, AuthenticatedClientSessionModel.class, Set.class,
                            Set.class, KeycloakSession.class));
            return MethodHandles.insertArguments(h, 2, (Object) null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Keycloak 26.4
        }
        try {
            return lookup.findStatic(DefaultClientSessionContext.class, "fromClientSessionAndClientScopes",
                    MethodType.methodType(DefaultClientSessionContext.class, AuthenticatedClientSessionModel.class, Set.class,
                            KeycloakSession.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Profile.Feature feature(String name) {
        for (Profile.Feature f : Profile.Feature.values()) {
            if (f.name().equals(name)) return f;
        }
        return null;
    }

    static boolean clientMappersOnlyAvailable() {
        return CLIENT_SCOPES_CONTEXT != null;
    }

    /**
     * The same client session, but with only the client itself as "client scope": protocol mappers configured
     * directly on the client run, the realm's default client scopes (roles, profile, email, acr, ...) do not.
     */
    public static ClientSessionContext clientMappersOnly(ClientSessionContext ctx, ClientModel client, KeycloakSession session) {
        if (CLIENT_SCOPES_CONTEXT == null) {
            throw new IllegalStateException("DefaultClientSessionContext.fromClientSessionAndClientScopes is missing");
        }
        try {
            return (ClientSessionContext) CLIENT_SCOPES_CONTEXT.invoke(ctx.getClientSession(), Set.<ClientScopeModel>of(client), session);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The client as the token encoder should see it while an API token is signed: the API's algorithm and, for
     * the RFC 9068 dialects, the {@code at+jwt} header type. Everything else is the client itself.
     */
    public static ClientModel signingAs(ClientModel client, String algorithm, boolean rfc9068HeaderType) {
        return new SigningClient(client, algorithm, rfc9068HeaderType);
    }

    /** The client, but with refresh tokens for the client credentials grant switched off (Keycloak 26.4's grant). */
    static ClientModel withoutClientCredentialsRefreshTokens(ClientModel client) {
        return new ClientModelLazyDelegate(() -> client) {
            @Override
            public String getAttribute(String name) {
                if (OIDCConfigAttributes.USE_REFRESH_TOKEN_FOR_CLIENT_CREDENTIALS_GRANT.equals(name)) return "false";
                return super.getAttribute(name);
            }
        };
    }

    /**
     * Keycloak 26.6+ calls {@code OAuth2GrantType.preProcess} before it authenticates the client; before, the grant
     * has no such hook (the method does not exist in the interface).
     */
    private static final boolean GRANTS_PRE_PROCESSED = hasPreProcess();

    private static boolean hasPreProcess() {
        try {
            org.keycloak.protocol.oidc.grants.OAuth2GrantType.class.getMethod("preProcess", KeycloakSession.class,
                    jakarta.ws.rs.core.MultivaluedMap.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    public static boolean grantsArePreProcessed() {
        return GRANTS_PRE_PROCESSED;
    }

    /**
     * The form of the token request being served, read when Keycloak creates the grant for it (before it
     * authenticates the client); {@code null} outside an HTTP request or when there is no form.
     */
    public static jakarta.ws.rs.core.MultivaluedMap<String, String> tokenRequestForm(KeycloakSession session) {
        try {
            var request = session.getContext().getHttpRequest();
            return request == null ? null : request.getDecodedFormParameters();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Keycloak's experimental resource indicators (26.6+) are on; always false where the feature does not exist. */
    public static boolean resourceIndicatorsEnabled() {
        return RESOURCE_INDICATORS != null && Profile.isFeatureEnabled(RESOURCE_INDICATORS);
    }

    static boolean resourceIndicatorsKnown() {
        return RESOURCE_INDICATORS != null;
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

    /** Work on one JDBC connection. */
    @FunctionalInterface
    public interface SqlWork<V> {
        V run(Connection connection, Database database) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection of Keycloak's pool (Keycloak's own {@link JpaConnectionProviderFactory#getConnection()}),
     * outside the caller's JTA transaction, which is suspended meanwhile, in auto-commit mode: each statement is its own
     * transaction and holds its row locks only while the database runs it. For the token counter: a fraction of the
     * cost of a new {@link KeycloakSession} with its entity manager, Hibernate query and JTA commit. A
     * {@link SQLException} is rethrown as an {@link IllegalStateException}.
     */
    @SuppressWarnings("unchecked")
    public static <V> V autoCommit(KeycloakSessionFactory factory, SqlWork<V> work) {
        JpaConnectionProviderFactory jpa = (JpaConnectionProviderFactory) factory.getProviderFactory(JpaConnectionProvider.class);
        Object[] result = new Object[1];
        KeycloakModelUtils.suspendJtaTransaction(factory, () -> {
            try (Connection c = jpa.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                if (!autoCommit) c.setAutoCommit(true);
                try {
                    result[0] = work.run(c, database(c));
                } finally {
                    if (!autoCommit) c.setAutoCommit(false);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return (V) result[0];
    }

    public static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The kinds of database whose SQL dialect the extension uses beyond standard SQL. */
    public enum Database { POSTGRESQL, H2, OTHER }

    private static volatile Database database;

    /** The server's database (one per server: read once, from the JDBC connection's metadata). */
    private static Database database(Connection c) throws SQLException {
        Database d = database;
        if (d == null) {
            String product = c.getMetaData().getDatabaseProductName();
            d = "PostgreSQL".equalsIgnoreCase(product) ? Database.POSTGRESQL : "H2".equalsIgnoreCase(product) ? Database.H2 : Database.OTHER;
            database = d;
        }
        return d;
    }

    /** The clientId of the realm's client with this internal id ({@code null}: none). */
    public static String clientIdOf(KeycloakSession session, String realmId, String internalId) {
        List<String> ids = entityManager(session)
                .createQuery("select c.clientId from ClientEntity c where c.id = :id and c.realmId = :realmId", String.class)
                .setParameter("id", internalId).setParameter("realmId", realmId).getResultList();
        return ids.isEmpty() ? null : ids.get(0);
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
     * cluster event type Keycloak can marshal in every supported version (its realm-updated invalidation event, which
     * carries a realm id), under our own key, so that only our listener receives it (Keycloak's realm cache listens
     * under its own key and never sees it). Looked up reflectively: the class lives in keycloak-model-infinispan,
     * which we do not compile against, and it is the same in 26.4, 26.5 and 26.7.
     */
    public static void notifyCluster(KeycloakSessionFactory factory, String key, String realmId) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster != null) {
                cluster.notify(key, RealmEvent.create(realmId), true, ClusterProvider.DCNotify.ALL_DCS);
            }
        });
    }

    /**
     * What {@link #registerClusterListener} and {@link #scheduleClusterTask} need when called from a factory's
     * {@code postInit}, for {@code ProviderFactory.dependsOn}. Keycloak calls the factories' {@code postInit} in an
     * order that changes from one start to the next (a map keyed by class), and sets the JPA connection factory's
     * {@code EntityManagerFactory} only in that factory's own {@code postInit}; the cluster provider opens the database
     * (JDBC_PING discovery). Without these, a start failed now and then with "emf is null".
     */
    public static Set<Class<? extends Provider>> startupDependencies() {
        return Set.of(JpaConnectionProvider.class, ClusterProvider.class, TimerProvider.class);
    }

    /** Calls {@code onRealm} with the realm id of every message {@link #notifyCluster} sends with {@code key}. */
    public static void registerClusterListener(KeycloakSessionFactory factory, String key, Consumer<String> onRealm) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ClusterProvider cluster = session.getProvider(ClusterProvider.class);
            if (cluster == null) return;
            cluster.registerListener(key, event -> {
                String realmId = RealmEvent.realmId(event);
                if (realmId != null) onRealm.accept(realmId);
            });
        });
    }

    /** Keycloak's {@code RealmUpdatedEvent} (keycloak-model-infinispan), used only as a marshallable realm id carrier. */
    private static final class RealmEvent {
        private static final String CLASS = "org.keycloak.models.cache.infinispan.events.RealmUpdatedEvent";
        private static final MethodHandle CREATE;
        private static final MethodHandle GET_ID;

        static {
            try {
                Class<?> type = Class.forName(CLASS, true, ClusterProvider.class.getClassLoader());
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                CREATE = lookup.findStatic(type, "create", MethodType.methodType(type, String.class, String.class));
                GET_ID = lookup.findVirtual(type, "getId", MethodType.methodType(String.class)).asType(
                        MethodType.methodType(String.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("keycloak-m2m: " + CLASS + " not found or changed", e);
            }
        }

        static ClusterEvent create(String realmId) {
            try {
                return (ClusterEvent) CREATE.invoke(realmId, "keycloak-m2m");
            } catch (Throwable e) {
                throw new IllegalStateException("keycloak-m2m: cannot create a cluster event", e);
            }
        }

        static String realmId(ClusterEvent event) {
            if (event == null || !CLASS.equals(event.getClass().getName())) return null;
            try {
                return (String) GET_ID.invoke((Object) event);
            } catch (Throwable e) {
                return null;
            }
        }
    }

    /**
     * A token request refused before Keycloak authenticated the client ({@code OAuth2GrantType.preProcess}): records
     * a {@code CLIENT_LOGIN_ERROR} event for the client the request names (the token endpoint's own event builder is
     * not reachable there) and returns the OAuth error response to throw, with the token endpoint's CORS handling.
     */
    public static CorsErrorResponseException refuseBeforeAuthentication(KeycloakSession session, RealmModel realm, String clientId,
            String grantType, Map<String, String> details, String error, String description, Response.Status status) {
        try {
            EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                    .event(EventType.CLIENT_LOGIN).client(clientId).detail(Details.GRANT_TYPE, grantType);
            details.forEach(event::detail);
            event.error(error);
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(KeycloakAdapter.class).warnf("Realm %s: the %s event of client %s could not be stored: %s",
                    realm.getName(), error, clientId, e.getMessage());
        }
        Cors cors = Cors.builder().auth().allowedMethods("POST").auth().exposedHeaders(Cors.ACCESS_CONTROL_ALLOW_METHODS);
        return new CorsErrorResponseException(cors, error, description, status);
    }

    /** The address the request came from, as Keycloak sees it (honours its proxy-headers option). */
    public static String remoteAddress(KeycloakSession session) {
        var connection = session.getContext().getConnection();
        return connection == null ? null : connection.getRemoteAddr();
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

    /** A client the Auth0 import created: its internal id and its newly generated secret. */
    public record CreatedClient(String id, String secret) {
    }

    /**
     * Creates a confidential OpenID Connect client that can only use client credentials (service account on, browser
     * and password flows off), as the admin console's "Create client" does, with a generated secret.
     */
    public static CreatedClient createServiceAccountClient(KeycloakSession session, RealmModel realm, String clientId, String name,
                                                           String description) {
        org.keycloak.representations.idm.ClientRepresentation rep = new org.keycloak.representations.idm.ClientRepresentation();
        rep.setClientId(clientId);
        rep.setName(name);
        rep.setDescription(description);
        rep.setProtocol("openid-connect");
        rep.setEnabled(true);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setClientAuthenticatorType("client-secret");
        rep.setServiceAccountsEnabled(true);
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        ClientModel client = org.keycloak.services.managers.ClientManager.createClient(session, realm, rep);
        new org.keycloak.services.managers.ClientManager(new org.keycloak.services.managers.RealmManager(session)).enableServiceAccount(client);
        String secret = KeycloakModelUtils.generateSecret(client);
        return new CreatedClient(client.getId(), secret);
    }
}

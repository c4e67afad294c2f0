package dev.keycloakm2m.testing.provider;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * TEST ONLY, never shipped: built in the {@code testing-provider} module ({@code keycloak-m2m-testing-provider-*.jar})
 * and installed into test servers by the test harness. Moves Keycloak's clock ({@code Time.setOffset}, as Keycloak's
 * own test suite does) and reads the counter table, so tests can check window edges without waiting and that clients
 * without a quota cause no database write. Its endpoints need no authentication, so it refuses to start (and with
 * it the server) unless the JVM runs with {@code -Dkeycloak-m2m.testing=true}, which only the test harness sets.
 */
public final class TestingResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "m2m-testing";

    /** The system property that must be {@code true} for this provider to start. */
    public static final String ENABLE_PROPERTY = "keycloak-m2m.testing";

    private static final Logger LOG = Logger.getLogger(TestingResourceProviderFactory.class);

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new TestingResource(session);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        if (!Boolean.getBoolean(ENABLE_PROPERTY)) {
            String message = "keycloak-m2m-testing-provider is installed, but it is a test-only provider that lets anyone"
                    + " move this server's clock without authentication. Remove keycloak-m2m-testing-provider-*.jar from"
                    + " providers/ (install only keycloak-m2m-<version>.jar); keycloak-m2m's own tests start it with -D"
                    + ENABLE_PROPERTY + "=true.";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        LOG.warnf("keycloak-m2m-testing-provider is active (-D%s=true): unauthenticated /realms/{realm}/%s endpoints"
                + " move the clock. For keycloak-m2m's tests only.", ENABLE_PROPERTY, PROVIDER_ID);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    public static final class TestingResource {
        private final KeycloakSession session;

        TestingResource(KeycloakSession session) {
            this.session = session;
        }

        /** Sets Keycloak's clock offset in seconds; returns the server's current epoch second. */
        @PUT
        @Path("time-offset")
        @Produces(MediaType.TEXT_PLAIN)
        public String setOffset(@QueryParam("seconds") int seconds) {
            Time.setOffset(seconds);
            return String.valueOf(Time.currentTimeMillis() / 1000);
        }

        @GET
        @Path("time")
        @Produces(MediaType.TEXT_PLAIN)
        public String time() {
            return String.valueOf(Time.currentTimeMillis() / 1000);
        }

        /**
         * Breaks (or restores) the product's token hooks on purpose, as a Keycloak version whose hooks changed would:
         * sets {@code dev.keycloakm2m.kc.TokenHooks}'s mode by reflection ({@code UNAVAILABLE}, {@code GRANT_METHODS},
         * {@code TOKEN_MANAGER}, or {@code OTHER}: the mechanism the running version does NOT call). Returns the
         * mode it replaced. The product has no switch for this.
         */
        @PUT
        @Path("token-hooks")
        @Produces(MediaType.TEXT_PLAIN)
        @SuppressWarnings({"unchecked", "rawtypes"})
        public String tokenHooks(@QueryParam("mode") String mode) throws ReflectiveOperationException {
            Class<?> hooks = Class.forName("dev.keycloakm2m.kc.TokenHooks", true, getClass().getClassLoader());
            java.lang.reflect.Method current = hooks.getMethod("mode");
            Object previous = current.invoke(null);
            Class<? extends Enum> modes = (Class<? extends Enum>) Class.forName("dev.keycloakm2m.kc.TokenHooks$Mode", true,
                    getClass().getClassLoader());
            String name = mode;
            if ("OTHER".equals(mode)) {
                name = "GRANT_METHODS".equals(((Enum<?>) previous).name()) ? "TOKEN_MANAGER" : "GRANT_METHODS";
            }
            java.lang.reflect.Field field = hooks.getDeclaredField("mode");
            field.setAccessible(true);
            field.set(null, Enum.valueOf(modes, name));
            return ((Enum<?>) previous).name();
        }

        /** Number of counter rows for a client (internal id). */
        @GET
        @Path("counter-rows")
        @Produces(MediaType.TEXT_PLAIN)
        public String counterRows(@QueryParam("client") String clientUuid) {
            List<?> rows = session.getProvider(JpaConnectionProvider.class).getEntityManager()
                    .createNativeQuery("SELECT COUNT(*) FROM M2M_TOKEN_COUNTER WHERE CLIENT_ID = :c")
                    .setParameter("c", clientUuid).getResultList();
            return String.valueOf(((Number) rows.get(0)).longValue());
        }
    }
}

package dev.keycloakm2m.kc;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

/**
 * How many Keycloak nodes form this node's cluster right now: the members of Infinispan's cache manager (the
 * transport's current view; {@code null} members, i.e. 1, for local caches as in {@code start-dev}). Read through
 * Keycloak's {@code InfinispanConnectionProvider} reflectively (keycloak-model-infinispan is not a compile
 * dependency), once per {@link #REFRESH_NANOS} at most; any failure counts as a single node.
 */
public final class ClusterSize implements IntSupplier {

    static final long REFRESH_NANOS = 2_000_000_000L;
    private static final Logger LOG = Logger.getLogger(ClusterSize.class);
    private static final String PROVIDER = "org.keycloak.connections.infinispan.InfinispanConnectionProvider";
    private static final String WORK_CACHE = "work";

    private final Object cacheManager;
    private final Method getMembers;
    private volatile int size = 1;
    private volatile long checkedAt;
    private volatile boolean checked;

    private ClusterSize(Object cacheManager, Method getMembers) {
        this.cacheManager = cacheManager;
        this.getMembers = getMembers;
    }

    /** The cluster size of this node, 1 when Infinispan cannot be reached (logged once). */
    @SuppressWarnings("unchecked")
    public static IntSupplier of(KeycloakSession session) {
        try {
            Class<? extends Provider> type = (Class<? extends Provider>) Class.forName(PROVIDER, true, Provider.class.getClassLoader());
            Object provider = session.getProvider(type);
            if (provider == null) return () -> 1;
            Object cache = type.getMethod("getCache", String.class).invoke(provider, WORK_CACHE);
            Object manager = cache.getClass().getMethod("getCacheManager").invoke(cache);
            Method members = Class.forName("org.infinispan.manager.EmbeddedCacheManager", true, manager.getClass().getClassLoader())
                    .getMethod("getMembers");
            return new ClusterSize(manager, members);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warnf("keycloak-m2m: the cluster size cannot be read (%s); rate limits are enforced as if this node were alone", e);
            return () -> 1;
        }
    }

    @Override
    public int getAsInt() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > REFRESH_NANOS) {
            int before = size;
            size = read();
            checkedAt = now;
            if (!checked || before != size) {
                LOG.infof("keycloak-m2m: cluster of %d node(s); each enforces 1/%d of every rate-limit policy", size, size);
            }
            checked = true;
        }
        return size;
    }

    private int read() {
        try {
            Object members = getMembers.invoke(cacheManager);
            return members instanceof List<?> list && !list.isEmpty() ? list.size() : 1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 1;
        }
    }
}

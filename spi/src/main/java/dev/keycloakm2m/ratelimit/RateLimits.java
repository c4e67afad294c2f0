package dev.keycloakm2m.ratelimit;

import org.keycloak.models.KeycloakSession;

import dev.keycloakm2m.kc.ClusterSize;

/** This node's {@link RateLimiter}, created on first use (it reads the cluster size through Keycloak). */
public final class RateLimits {

    private static volatile RateLimiter limiter;

    private RateLimits() {
    }

    public static RateLimiter limiter(KeycloakSession session) {
        RateLimiter l = limiter;
        if (l != null) return l;
        synchronized (RateLimits.class) {
            if (limiter == null) limiter = new RateLimiter(System::nanoTime, ClusterSize.of(session));
            return limiter;
        }
    }

    /** The realm is gone: forget its buckets on this node. */
    public static void forgetRealm(String realmId) {
        RateLimiter l = limiter;
        if (l != null) l.forgetRealm(realmId);
    }
}

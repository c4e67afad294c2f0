package dev.keycloakm2m.quota;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * A counter table: one row per client (M2M_TOKEN_COUNTER) or per organization (M2M_ORG_TOKEN_COUNTER) with a quota,
 * the same columns and statements in both. Here the statements that run in the caller's transaction (listing, and
 * forgetting a deleted client, organization or realm); the token path's are {@link TokenCounter}'s.
 */
final class TokenCounterStore {

    /** Whose tokens a table counts: its name and key column. */
    enum Kind {
        CLIENT("M2M_TOKEN_COUNTER", "CLIENT_ID"),
        ORGANIZATION("M2M_ORG_TOKEN_COUNTER", "ORG_ID");

        final String table;
        final String key;

        Kind(String table, String key) {
            this.table = table;
            this.key = key;
        }

        String sql(String clientSql) {
            return this == CLIENT ? clientSql : clientSql.replace("M2M_TOKEN_COUNTER", table).replace("CLIENT_ID", key);
        }
    }

    /**
     * Hibernate's hint naming the tables a native statement writes: without it, every native UPDATE makes Hibernate
     * walk every entity type of the persistence unit to invalidate what it might have changed.
     */
    private static final String NATIVE_SPACES = "org.hibernate.query.native.spaces";

    private final EntityManager em;
    private final Kind kind;

    TokenCounterStore(EntityManager em) {
        this(em, Kind.CLIENT);
    }

    TokenCounterStore(EntityManager em, Kind kind) {
        this.em = em;
        this.kind = kind;
    }

    /** A native statement that writes this store's table, named to Hibernate ({@link #NATIVE_SPACES}). */
    private Query write(String sql) {
        return em.createNativeQuery(sql).setHint(NATIVE_SPACES, kind.table);
    }

    /** client uuid → counts, for every counted client of the realm. */
    List<Object[]> realmRows(String realmId) {
        List<?> rows = em.createNativeQuery(kind.sql("SELECT CLIENT_ID, HOUR_WINDOW, HOUR_USED, DAY_WINDOW, DAY_USED FROM M2M_TOKEN_COUNTER WHERE REALM_ID = :realm"))
                .setParameter("realm", realmId).getResultList();
        List<Object[]> out = new ArrayList<>();
        for (Object r : rows) out.add((Object[]) r);
        return out;
    }

    void delete(String clientUuid) {
        write(kind.sql("DELETE FROM M2M_TOKEN_COUNTER WHERE CLIENT_ID = :client")).setParameter("client", clientUuid).executeUpdate();
    }

    void deleteRealm(String realmId) {
        write(kind.sql("DELETE FROM M2M_TOKEN_COUNTER WHERE REALM_ID = :realm")).setParameter("realm", realmId).executeUpdate();
    }

    /** Rows that counted nothing today or yesterday: their windows are over. */
    int deleteStale(long dayWindowBefore) {
        return write(kind.sql("DELETE FROM M2M_TOKEN_COUNTER WHERE DAY_WINDOW < :before"))
                .setParameter("before", dayWindowBefore).executeUpdate();
    }
}

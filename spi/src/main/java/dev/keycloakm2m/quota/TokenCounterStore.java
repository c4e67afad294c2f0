package dev.keycloakm2m.quota;

import dev.keycloakm2m.store.TokenCounterEntity;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import dev.keycloakm2m.kc.KeycloakAdapter;

/**
 * A counter table: one row per client (M2M_TOKEN_COUNTER) or per organization (M2M_ORG_TOKEN_COUNTER) with a quota,
 * the same columns and statements in both. Every token is one conditional UPDATE (both windows, both limits) in its
 * own short transaction, returning the row where the database can: the row lock serialises concurrent requests for a
 * client across every node that shares the database, so a window never counts more tokens than its limit.
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
     * Counts one token if both limits allow it. Assignment order matters on databases that evaluate SET
     * left to right (MySQL): each count is computed before its window column is overwritten.
     */
    private static final String INCREMENT = "UPDATE M2M_TOKEN_COUNTER SET"
            + " HOUR_USED = CASE WHEN HOUR_WINDOW = :hw THEN HOUR_USED + 1 ELSE 1 END,"
            + " HOUR_WINDOW = :hw,"
            + " DAY_USED = CASE WHEN DAY_WINDOW = :dw THEN DAY_USED + 1 ELSE 1 END,"
            + " DAY_WINDOW = :dw"
            + " WHERE CLIENT_ID = :client"
            + " AND (CASE WHEN HOUR_WINDOW = :hw THEN HOUR_USED ELSE 0 END) < :hl"
            + " AND (CASE WHEN DAY_WINDOW = :dw THEN DAY_USED ELSE 0 END) < :dl";

    private static final String DECREMENT = "UPDATE M2M_TOKEN_COUNTER SET"
            + " HOUR_USED = CASE WHEN HOUR_WINDOW = :hw AND HOUR_USED > 0 THEN HOUR_USED - 1 ELSE HOUR_USED END,"
            + " DAY_USED = CASE WHEN DAY_WINDOW = :dw AND DAY_USED > 0 THEN DAY_USED - 1 ELSE DAY_USED END"
            + " WHERE CLIENT_ID = :client";

    private static final String COLUMNS = "HOUR_WINDOW, HOUR_USED, DAY_WINDOW, DAY_USED";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM M2M_TOKEN_COUNTER WHERE CLIENT_ID = :client";

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

    /**
     * Counts one token if both limits allow it: the row as counted, or {@code null} when a limit refused it (or the
     * row does not exist). On PostgreSQL ({@code UPDATE … RETURNING}) and H2 ({@code SELECT … FROM FINAL TABLE
     * (UPDATE …)}) that is one statement; other databases read the row back after the UPDATE, in the same
     * transaction, which still holds the row's lock.
     */
    Counts increment(String clientUuid, long hourWindow, long dayWindow, long hourLimit, long dayLimit) {
        String update = kind.sql(INCREMENT);
        String returning = switch (KeycloakAdapter.database(em)) {
            case POSTGRESQL -> update + " RETURNING " + COLUMNS;
            case H2 -> "SELECT " + COLUMNS + " FROM FINAL TABLE (" + update + ")";
            case OTHER -> null;
        };
        if (returning == null) {
            int updated = bind(write(update), clientUuid, hourWindow, dayWindow, hourLimit, dayLimit).executeUpdate();
            return updated == 1 ? read(clientUuid) : null;
        }
        List<?> rows = bind(em.createNativeQuery(returning), clientUuid, hourWindow, dayWindow, hourLimit, dayLimit).getResultList();
        return rows.isEmpty() ? null : counts((Object[]) rows.get(0));
    }

    /** A native statement that writes this store's table, named to Hibernate ({@link #NATIVE_SPACES}). */
    private Query write(String sql) {
        return em.createNativeQuery(sql).setHint(NATIVE_SPACES, kind.table);
    }

    private static Query bind(Query q, String clientUuid, long hourWindow, long dayWindow, long hourLimit, long dayLimit) {
        return q.setParameter("hw", hourWindow).setParameter("dw", dayWindow)
                .setParameter("hl", hourLimit).setParameter("dl", dayLimit)
                .setParameter("client", clientUuid);
    }

    void decrement(String clientUuid, long hourWindow, long dayWindow) {
        write(kind.sql(DECREMENT)).setParameter("hw", hourWindow).setParameter("dw", dayWindow)
                .setParameter("client", clientUuid).executeUpdate();
    }

    /** The row, or {@code null} when the client has never been counted. */
    Counts read(String clientUuid) {
        List<?> rows = em.createNativeQuery(kind.sql(SELECT)).setParameter("client", clientUuid).getResultList();
        return rows.isEmpty() ? null : counts((Object[]) rows.get(0));
    }

    private static Counts counts(Object[] r) {
        return new Counts(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue());
    }

    void insert(String realmId, String clientUuid, long hourWindow, long dayWindow) {
        if (kind != Kind.CLIENT) {
            write(kind.sql("INSERT INTO M2M_TOKEN_COUNTER (CLIENT_ID, REALM_ID, HOUR_WINDOW, HOUR_USED, DAY_WINDOW, DAY_USED)"
                    + " VALUES (:client, :realm, :hw, 0, :dw, 0)")).setParameter("client", clientUuid).setParameter("realm", realmId)
                    .setParameter("hw", hourWindow).setParameter("dw", dayWindow).executeUpdate();
            return;
        }
        TokenCounterEntity e = new TokenCounterEntity();
        e.setClientId(clientUuid);
        e.setRealmId(realmId);
        e.setHourWindow(hourWindow);
        e.setDayWindow(dayWindow);
        em.persist(e);
        em.flush();
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

package dev.keycloakm2m.quota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

import dev.keycloakm2m.kc.KeycloakAdapter.Database;

/**
 * The token path's statements on a counter table ({@link TokenCounterStore.Kind}), on a JDBC connection in
 * auto-commit mode ({@link dev.keycloakm2m.kc.KeycloakAdapter#autoCommit}): every token is one conditional UPDATE
 * (both windows, both limits) that commits on its own, returning the row where the database can. The row lock
 * serialises concurrent requests for a client across every node that shares the database, and is held only while
 * the database runs the statement, so a window never counts more tokens than its limit.
 */
final class TokenCounter {

    /**
     * Counts one token if both limits allow it. Parameters: hour window ×2, day window ×2, key, hour window, hour
     * limit, day window, day limit. Assignment order matters on databases that evaluate SET left to right (MySQL):
     * each count is computed before its window column is overwritten.
     */
    private static final String INCREMENT = "UPDATE M2M_TOKEN_COUNTER SET"
            + " HOUR_USED = CASE WHEN HOUR_WINDOW = ? THEN HOUR_USED + 1 ELSE 1 END,"
            + " HOUR_WINDOW = ?,"
            + " DAY_USED = CASE WHEN DAY_WINDOW = ? THEN DAY_USED + 1 ELSE 1 END,"
            + " DAY_WINDOW = ?"
            + " WHERE CLIENT_ID = ?"
            + " AND (CASE WHEN HOUR_WINDOW = ? THEN HOUR_USED ELSE 0 END) < ?"
            + " AND (CASE WHEN DAY_WINDOW = ? THEN DAY_USED ELSE 0 END) < ?";

    /** Gives one token back. Parameters: hour window, day window, key. */
    private static final String DECREMENT = "UPDATE M2M_TOKEN_COUNTER SET"
            + " HOUR_USED = CASE WHEN HOUR_WINDOW = ? AND HOUR_USED > 0 THEN HOUR_USED - 1 ELSE HOUR_USED END,"
            + " DAY_USED = CASE WHEN DAY_WINDOW = ? AND DAY_USED > 0 THEN DAY_USED - 1 ELSE DAY_USED END"
            + " WHERE CLIENT_ID = ?";

    private static final String COLUMNS = "HOUR_WINDOW, HOUR_USED, DAY_WINDOW, DAY_USED";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM M2M_TOKEN_COUNTER WHERE CLIENT_ID = ?";

    private static final String INSERT = "INSERT INTO M2M_TOKEN_COUNTER (CLIENT_ID, REALM_ID, HOUR_WINDOW, HOUR_USED, DAY_WINDOW, DAY_USED)"
            + " VALUES (?, ?, ?, 0, ?, 0)";

    /** The statements of one counter table, built once rather than on every token. */
    private record Statements(String increment, String incrementReturningPostgres, String incrementReturningH2,
            String decrement, String select, String insert) {

        static Statements of(TokenCounterStore.Kind kind) {
            String update = kind.sql(INCREMENT);
            return new Statements(update, update + " RETURNING " + COLUMNS, "SELECT " + COLUMNS + " FROM FINAL TABLE (" + update + ")",
                    kind.sql(DECREMENT), kind.sql(SELECT), kind.sql(INSERT));
        }
    }

    private static final Map<TokenCounterStore.Kind, Statements> STATEMENTS = new EnumMap<>(TokenCounterStore.Kind.class);

    static {
        for (TokenCounterStore.Kind kind : TokenCounterStore.Kind.values()) STATEMENTS.put(kind, Statements.of(kind));
    }

    private final Connection connection;
    private final Database database;
    private final Statements sql;

    TokenCounter(Connection connection, Database database, TokenCounterStore.Kind kind) {
        this.connection = connection;
        this.database = database;
        this.sql = STATEMENTS.get(kind);
    }

    /**
     * Counts one token if both limits allow it: the row as counted, or {@code null} when a limit refused it (or the
     * row does not exist). On PostgreSQL ({@code UPDATE … RETURNING}) and H2 ({@code SELECT … FROM FINAL TABLE
     * (UPDATE …)}) that is one statement; other databases run the UPDATE and read the row back in one transaction,
     * which holds the row's lock until both are done.
     */
    Counts increment(String key, long hourWindow, long dayWindow, long hourLimit, long dayLimit) throws SQLException {
        String returning = switch (database) {
            case POSTGRESQL -> sql.incrementReturningPostgres();
            case H2 -> sql.incrementReturningH2();
            case OTHER -> null;
        };
        if (returning == null) {
            return incrementThenRead(key, hourWindow, dayWindow, hourLimit, dayLimit);
        }
        try (PreparedStatement ps = connection.prepareStatement(returning)) {
            bindIncrement(ps, key, hourWindow, dayWindow, hourLimit, dayLimit);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? counts(rs) : null;
            }
        }
    }

    private Counts incrementThenRead(String key, long hourWindow, long dayWindow, long hourLimit, long dayLimit)
            throws SQLException {
        connection.setAutoCommit(false);
        boolean done = false;
        try {
            Counts out = null;
            try (PreparedStatement ps = connection.prepareStatement(sql.increment())) {
                bindIncrement(ps, key, hourWindow, dayWindow, hourLimit, dayLimit);
                if (ps.executeUpdate() == 1) out = read(key);
            }
            connection.commit();
            done = true;
            return out;
        } finally {
            if (!done) connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    private static void bindIncrement(PreparedStatement ps, String key, long hourWindow, long dayWindow, long hourLimit, long dayLimit)
            throws SQLException {
        ps.setLong(1, hourWindow);
        ps.setLong(2, hourWindow);
        ps.setLong(3, dayWindow);
        ps.setLong(4, dayWindow);
        ps.setString(5, key);
        ps.setLong(6, hourWindow);
        ps.setLong(7, hourLimit);
        ps.setLong(8, dayWindow);
        ps.setLong(9, dayLimit);
    }

    void decrement(String key, long hourWindow, long dayWindow) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql.decrement())) {
            ps.setLong(1, hourWindow);
            ps.setLong(2, dayWindow);
            ps.setString(3, key);
            ps.executeUpdate();
        }
    }

    /** The row, or {@code null} when nothing has been counted for {@code key}. */
    Counts read(String key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql.select())) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? counts(rs) : null;
            }
        }
    }

    /** A row with nothing counted; fails (primary key) when a concurrent request or node created it first. */
    void insert(String realmId, String key, long hourWindow, long dayWindow) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql.insert())) {
            ps.setString(1, key);
            ps.setString(2, realmId);
            ps.setLong(3, hourWindow);
            ps.setLong(4, dayWindow);
            ps.executeUpdate();
        }
    }

    private static Counts counts(ResultSet rs) throws SQLException {
        return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
    }
}

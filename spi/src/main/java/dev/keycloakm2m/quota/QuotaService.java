package dev.keycloakm2m.quota;

import dev.keycloakm2m.store.TokenQuota;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.kc.KeycloakAdapter;

/**
 * Counting and reading token quotas. A token is counted before it is signed, in a separate short transaction;
 * if issuing fails afterwards, or the request's own transaction does not commit, the count is given back. Never
 * more tokens in a window than the quota, on any number of nodes sharing the database.
 */
public final class QuotaService {

    private static final Logger LOG = Logger.getLogger(QuotaService.class);
    private static final int[] WARN_AT_PERCENT = {60, 80, 100};
    /** Counting attempts after a refused UPDATE whose row was missing or not exhausted when read back. */
    private static final int MAX_RETRIES = 3;

    private QuotaService() {
    }

    /** The outcome of asking for one token. */
    public record Reservation(boolean allowed, List<BucketState> states, Runnable release) {

        /** Two allowed reservations (either may be {@code null}) given back together. */
        public static Reservation both(Reservation a, Reservation b) {
            if (a == null) return b;
            if (b == null) return a;
            return new Reservation(true, a.states(), () -> {
                a.release().run();
                b.release().run();
            });
        }
    }

    private record Attempt(boolean counted, Counts counts) {
    }

    /**
     * Whose tokens are counted: a client or an organization, by internal id; {@code label} (clientId, organization
     * alias) for log messages.
     */
    public record Subject(boolean organization, String id, String label) {

        public static Subject client(ClientModel client) {
            return new Subject(false, client.getId(), "client " + client.getClientId());
        }

        public static Subject organization(String organizationId, String alias) {
            return new Subject(true, organizationId, "organization " + alias);
        }

        TokenCounterStore.Kind kind() {
            return organization ? TokenCounterStore.Kind.ORGANIZATION : TokenCounterStore.Kind.CLIENT;
        }
    }

    public static Reservation reserve(KeycloakSession session, RealmModel realm, ClientModel client, TokenQuota quota) {
        return reserve(session, realm, Subject.client(client), quota);
    }

    /** Counts one token against the quota of {@code subject} (a client or an organization). */
    public static Reservation reserve(KeycloakSession session, RealmModel realm, Subject subject, TokenQuota quota) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        long now = KeycloakAdapter.now();
        long hourWindow = Bucket.PER_HOUR.windowStart(now);
        long dayWindow = Bucket.PER_DAY.windowStart(now);
        long hourLimit = quota.enforce() && quota.perHour() != null ? quota.perHour() : Long.MAX_VALUE;
        long dayLimit = quota.enforce() && quota.perDay() != null ? quota.perDay() : Long.MAX_VALUE;

        Attempt attempt = KeycloakAdapter.autoCommit(factory, (c, db) -> count(new TokenCounter(c, db, subject.kind()),
                realm, subject, now, hourWindow, dayWindow, hourLimit, dayLimit));
        if (attempt.counts() == null) {
            throw new IllegalStateException("token counter row of " + subject.label() + " could not be created");
        }
        List<BucketState> states = attempt.counts().states(quota, now);
        if (!attempt.counted()) {
            return new Reservation(false, states, () -> { });
        }
        warn(realm, subject, states);
        AtomicBoolean released = new AtomicBoolean();
        return new Reservation(true, states, () -> {
            if (released.compareAndSet(false, true)) release(factory, realm, subject, hourWindow, dayWindow);
        });
    }

    /** The buckets of {@code quota} as {@code subject} stands now, counting nothing. */
    public static List<BucketState> peek(KeycloakSession session, Subject subject, TokenQuota quota) {
        long now = KeycloakAdapter.now();
        return read(session, subject).states(quota, now);
    }

    /**
     * Gives the count back if the request's own transaction does not commit: Keycloak commits (e.g. the stored
     * login event) after the token response is built, and a failed commit turns the response into an error, so the
     * token never reaches the client. A reservation is given back at most once.
     */
    public static void releaseUnlessCommitted(KeycloakSession session, Reservation reservation) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
            }

            @Override
            protected void rollbackImpl() {
                reservation.release().run();
            }
        });
    }

    /**
     * Counts one token, each statement committing on its own. A refused UPDATE means "quota used up" only if the row
     * read back says so. The row may be missing (first token of this subject), or a concurrent first request (on any
     * node) may have created it between our UPDATE and our read: then count again instead of answering 429 for an
     * untouched quota.
     */
    private static Attempt count(TokenCounter counter, RealmModel realm, Subject subject, long now, long hourWindow, long dayWindow,
            long hourLimit, long dayLimit) throws SQLException {
        Attempt attempt = tryCount(counter, subject, hourWindow, dayWindow, hourLimit, dayLimit);
        for (int retry = 0; retry < MAX_RETRIES && !attempt.counted()
                && (attempt.counts() == null || !attempt.counts().exhausted(now, hourLimit, dayLimit)); retry++) {
            if (attempt.counts() == null) {
                createRow(counter, realm, subject, hourWindow, dayWindow);
            }
            attempt = tryCount(counter, subject, hourWindow, dayWindow, hourLimit, dayLimit);
        }
        return attempt;
    }

    /** The counter row of {@code subject}, tolerating a concurrent creation by another request or node. */
    private static void createRow(TokenCounter counter, RealmModel realm, Subject subject, long hourWindow, long dayWindow) {
        try {
            counter.insert(realm.getId(), subject.id(), hourWindow, dayWindow);
        } catch (SQLException duplicate) {
            LOG.debugf("Realm %s: counter row of %s created concurrently (%s)", realm.getName(), subject.label(), duplicate.getMessage());
        }
    }

    private static Attempt tryCount(TokenCounter counter, Subject subject, long hourWindow, long dayWindow, long hourLimit, long dayLimit)
            throws SQLException {
        Counts counted = counter.increment(subject.id(), hourWindow, dayWindow, hourLimit, dayLimit);
        return counted != null ? new Attempt(true, counted) : new Attempt(false, counter.read(subject.id()));
    }

    private static void release(KeycloakSessionFactory factory, RealmModel realm, Subject subject, long hourWindow, long dayWindow) {
        try {
            KeycloakAdapter.autoCommit(factory, (c, db) -> {
                new TokenCounter(c, db, subject.kind()).decrement(subject.id(), hourWindow, dayWindow);
                return null;
            });
            LOG.debugf("Realm %s: token count of %s given back", realm.getName(), subject.label());
        } catch (RuntimeException e) {
            LOG.warnf("Realm %s: could not give back the token count of %s after a failed request: %s",
                    realm.getName(), subject.label(), e.getMessage());
        }
    }

    /** The counts of {@code subject} as committed (no row: nothing counted). */
    private static Counts read(KeycloakSession session, Subject subject) {
        Counts c = KeycloakAdapter.autoCommit(session.getKeycloakSessionFactory(),
                (connection, db) -> new TokenCounter(connection, db, subject.kind()).read(subject.id()));
        return c == null ? Counts.NONE : c;
    }

    /** 60 %, 80 % and 100 % of each bucket, once per window: the request whose count reaches the mark logs it. */
    private static void warn(RealmModel realm, Subject subject, List<BucketState> states) {
        for (BucketState s : states) {
            for (int percent : WARN_AT_PERCENT) {
                long mark = (s.quota() * percent + 99) / 100;
                if (s.used() == mark) {
                    LOG.warnf("Realm %s: %s used %d%% of its %s token quota (quota %d, used %d)",
                            realm.getName(), subject.label(), percent, s.bucket().wire(), s.quota(), s.used());
                }
            }
        }
    }

    /** Current counts of one client (no row: nothing counted). */
    public static Counts counts(KeycloakSession session, ClientModel client) {
        return read(session, Subject.client(client));
    }

    /** client uuid → current counts, for every client of the realm with a counter row. */
    public static Map<String, Counts> realmCounts(KeycloakSession session, RealmModel realm) {
        Map<String, Counts> out = new LinkedHashMap<>();
        for (Object[] r : new TokenCounterStore(KeycloakAdapter.entityManager(session)).realmRows(realm.getId())) {
            out.put((String) r[0], new Counts(((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).longValue(), ((Number) r[4]).longValue()));
        }
        return out;
    }

    public static long now() {
        return KeycloakAdapter.now();
    }

    /** Forget a client's counts (client deleted). Runs in the caller's transaction. */
    public static void forget(KeycloakSession session, ClientModel client) {
        new TokenCounterStore(KeycloakAdapter.entityManager(session)).delete(client.getId());
    }

    public static void forgetRealm(KeycloakSession session, String realmId) {
        new TokenCounterStore(KeycloakAdapter.entityManager(session)).deleteRealm(realmId);
        new TokenCounterStore(KeycloakAdapter.entityManager(session), TokenCounterStore.Kind.ORGANIZATION).deleteRealm(realmId);
    }

    /** Current counts of one organization (no row: nothing counted). */
    public static Counts organizationCounts(KeycloakSession session, String organizationId) {
        return read(session, Subject.organization(organizationId, organizationId));
    }

    /** Forget an organization's counts (organization deleted). Runs in the caller's transaction. */
    public static void forgetOrganization(KeycloakSession session, String organizationId) {
        new TokenCounterStore(KeycloakAdapter.entityManager(session), TokenCounterStore.Kind.ORGANIZATION).delete(organizationId);
    }

    /** Deletes rows whose day window ended before yesterday. */
    public static int cleanup(KeycloakSession session) {
        long yesterday = Bucket.PER_DAY.windowStart(KeycloakAdapter.now()) - Bucket.PER_DAY.seconds();
        return new TokenCounterStore(KeycloakAdapter.entityManager(session)).deleteStale(yesterday)
                + new TokenCounterStore(KeycloakAdapter.entityManager(session), TokenCounterStore.Kind.ORGANIZATION).deleteStale(yesterday);
    }

    static List<String> bucketNames(List<BucketState> states) {
        List<String> out = new ArrayList<>();
        states.stream().filter(BucketState::exhausted).forEach(s -> out.add(s.bucket().wire()));
        return out;
    }
}

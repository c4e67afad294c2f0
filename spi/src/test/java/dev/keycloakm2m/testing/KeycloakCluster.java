package dev.keycloakm2m.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two Keycloak nodes in production mode on one throw-away PostgreSQL, clustered the way Keycloak 26 clusters by
 * default: cache {@code ispn}, JGroups stack {@code jdbc-ping} (discovery through the shared database), here bound to
 * 127.0.0.1 with distinct HTTP, management and JGroups ports. Our distribution is built once
 * ({@code kc.sh build --db=postgres}); the second node is a copy of that installation. Everything is stopped and
 * deleted on {@link #close()} (and by the servers' own shutdown hooks and watchdogs if the JVM dies).
 */
public final class KeycloakCluster implements AutoCloseable {

    /** Infinispan's view log line, e.g. {@code ISPN000094: Received new cluster view for channel ISPN: [node1|1] (2) [node1, node2]}. */
    private static final Pattern VIEW = Pattern.compile(
            "ISPN00009[34]: Received new(?:, MERGED)? cluster view for channel \\S+: \\[[^\\]]*\\] \\((\\d+)\\) \\[([^\\]]*)\\]");
    /** A generous ceiling: joining takes seconds, but the machine may be busy with other work. */
    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(15);

    private final PostgresServer db;
    private final List<KeycloakServer> nodes = new ArrayList<>();
    private final List<AdminClient> admins = new ArrayList<>();

    private KeycloakCluster(PostgresServer db) {
        this.db = db;
    }

    /** PostgreSQL, one build, two nodes, and both nodes in one cluster view of 2 members. */
    public static KeycloakCluster start(String name, List<Path> providers) {
        KeycloakCluster cluster = new KeycloakCluster(PostgresServer.start(name + "-postgres"));
        try {
            Path out = Path.of(System.getProperty("m2m.test-output", "target")).toAbsolutePath();
            KeycloakServer.deleteTree(out.resolve(name)); // installations of an earlier run hold an older build
            for (int i = 1; i <= 2; i++) {
                String node = "node" + i;
                KeycloakServer.Options o = KeycloakServer.options()
                        .name(name + "-" + node)
                        .home(out.resolve(name).resolve(node))
                        .mode(KeycloakServer.Mode.PRODUCTION)
                        .env("JAVA_OPTS_APPEND", "-Xms128m -Xmx768m");
                if (i == 1) {
                    providers.forEach(o::provider);
                    o.buildArg("--db=postgres");
                } else {
                    o.builtFrom(cluster.nodes.get(0).home());
                }
                cluster.db.keycloakRunArgs().forEach(o::runArg);
                o.runArg("--cache=ispn") // the default of start, stated: the cluster is what is under test
                        .runArg("--cache-embedded-network-bind-address=127.0.0.1")
                        .runArg("--cache-embedded-network-bind-port=" + KeycloakServer.jgroupsPort())
                        .runArg("--spi-cache-embedded--default--node-name=" + node);
                KeycloakServer server = KeycloakServer.start(o);
                cluster.nodes.add(server);
                cluster.admins.add(AdminClient.master(server));
            }
            cluster.awaitView(cluster.node(1), 2);
            cluster.awaitView(cluster.node(2), 2);
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Node 1 or 2. */
    public KeycloakServer node(int n) {
        return nodes.get(n - 1);
    }

    public AdminClient admin(int n) {
        return admins.get(n - 1);
    }

    public PostgresServer db() {
        return db;
    }

    /** The latest cluster view this node logged since its latest start: member count and names. */
    public record View(int size, List<String> members) {
    }

    public static Optional<View> latestView(KeycloakServer node) {
        Matcher m = VIEW.matcher(node.logSinceStart());
        View last = null;
        while (m.find()) {
            last = new View(Integer.parseInt(m.group(1)), List.of(m.group(2).split(",\\s*")));
        }
        return Optional.ofNullable(last);
    }

    /** Waits until the node's latest view has {@code members} members; fails with the log tail otherwise. */
    public View awaitView(KeycloakServer node, int members) {
        Instant deadline = Instant.now().plus(VIEW_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<View> v = latestView(node);
            if (v.isPresent() && v.get().size() == members) return v.get();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(node + " did not log a cluster view of " + members + " members within "
                + VIEW_TIMEOUT + " (latest: " + latestView(node).orElse(null) + "):\n" + node.tail(60));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            db.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null) throw failure;
    }
}

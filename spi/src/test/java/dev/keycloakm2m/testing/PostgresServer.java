package dev.keycloakm2m.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from the machine's Debian packages ({@code /usr/lib/postgresql/<version>/bin}):
 * {@code initdb} into the build directory, started with {@code pg_ctl} on a free port on 127.0.0.1 only (no Unix
 * socket), one database and user for Keycloak. Stopped and deleted on {@link #close()}, on JVM shutdown, and by a
 * watchdog process if the test JVM dies without either, so no PostgreSQL outlives the test run.
 *
 * <p>PostgreSQL refuses to run as root: as root (CI) every server-side command runs as the {@code postgres} user
 * that Debian's package creates (or {@code nobody}) through {@code runuser}; as a normal user (a developer) it runs
 * as that user.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    public static final String PASSWORD = "keycloak-test";
    /** A generous ceiling for initdb, start and stop: seconds normally, but the machine may be busy. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Path bin;
    private final Path base;
    private final Path data;
    private final Path log;
    private final int port;
    /** {@code runuser -u <user> --} as root, empty otherwise. */
    private final List<String> runAs;
    private Process watchdog;
    private final Thread shutdownHook = new Thread(this::destroyQuietly, "postgres-shutdown");
    private boolean closed;

    private PostgresServer(Path bin, Path base, int port, List<String> runAs) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.log = base.resolve("postgres.log");
        this.port = port;
        this.runAs = runAs;
    }

    /** initdb, start, create the database and user. {@code name} names the directory under the build output. */
    public static PostgresServer start(String name) {
        Path bin = binaries();
        Optional<String> serverUser = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
        List<String> runAs = serverUser.map(u -> List.of("runuser", "-u", u, "--")).orElse(List.of());
        Path base = directory(name, serverUser);
        PostgresServer pg = new PostgresServer(bin, base, KeycloakServer.freePort(), runAs);
        Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
        try {
            pg.startWatchdog();
            pg.initdb();
            pg.startServer();
            pg.psql("postgres", "CREATE USER " + USER + " PASSWORD '" + PASSWORD + "'");
            pg.psql("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + USER + " ENCODING 'UTF8'");
            return pg;
        } catch (RuntimeException | Error e) {
            pg.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Keycloak's options for this database ({@code --db=postgres} itself is a build option). */
    public List<String> keycloakRunArgs() {
        return List.of("--db-url=" + jdbcUrl(), "--db-username=" + USER, "--db-password=" + PASSWORD);
    }

    public Path logFile() {
        return log;
    }

    /** Fast shutdown: open connections are terminated, as when an operator restarts the database. */
    public void stop() {
        pgCtl("-m", "fast", "-w", "-t", String.valueOf(TIMEOUT.toSeconds()), "stop");
    }

    /** Starts again after {@link #stop()}, same port and data. */
    public void startAgain() {
        startServer();
    }

    public boolean isRunning() {
        return run(command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status")), true) == 0;
    }

    /** Runs SQL as the superuser in Keycloak's database; returns psql's unaligned, tuples-only output. */
    public String sql(String statement) {
        return psql(DATABASE, statement);
    }

    private String psql(String database, String statement) {
        List<String> cmd = List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", database, "-c", statement);
        return output(cmd).trim();
    }

    private void initdb() {
        deleteQuietly(data);
        runChecked(command(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")));
        // loopback only, no Unix socket (its default directory is not writable for a normal user), a throw-away
        // cluster needs no durability; enough connections for two Keycloak pools
        String settings = String.join("\n", "",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = ''",
                "max_connections = 250",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "");
        try {
            Files.writeString(data.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() {
        try {
            pgCtl("-l", log.toString(), "-w", "-t", String.valueOf(TIMEOUT.toSeconds()), "start");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\nPostgreSQL log:\n" + logTail(), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
        cmd.addAll(List.of(args));
        runChecked(command(cmd));
    }

    private List<String> command(List<String> cmd) {
        List<String> out = new ArrayList<>(runAs);
        out.addAll(cmd);
        return out;
    }

    /**
     * Kills the postmaster (immediate shutdown, then SIGKILL) and deletes the directory when the test JVM is gone.
     * Ignores SIGINT/SIGHUP, so a Ctrl-C of the Maven process group does not take the watchdog down first.
     */
    private void startWatchdog() {
        long me = ProcessHandle.current().pid();
        String pidFile = data.resolve("postmaster.pid").toString();
        String script = "trap '' INT HUP; while kill -0 " + me + " 2>/dev/null; do sleep 1; done;"
                + " if [ -f '" + pidFile + "' ]; then pid=$(head -1 '" + pidFile + "');"
                + " kill -QUIT \"$pid\"; sleep 5; kill -KILL \"$pid\"; fi 2>/dev/null; rm -rf '" + base + "'";
        try {
            watchdog = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (fast, else immediate, else SIGKILL of the postmaster) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        destroyQuietly();
        if (watchdog != null) watchdog.destroyForcibly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM already shutting down
        }
    }

    private void destroyQuietly() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                List<String> stop = List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30", "stop");
                List<String> fast = new ArrayList<>(stop);
                fast.addAll(3, List.of("-m", "fast"));
                if (run(command(fast), true) != 0) {
                    List<String> immediate = new ArrayList<>(stop);
                    immediate.addAll(3, List.of("-m", "immediate"));
                    if (run(command(immediate), true) != 0) killPostmaster();
                }
            }
        } catch (RuntimeException e) {
            killPostmaster();
        }
        keepLog();
        deleteQuietly(base);
    }

    /** The server log outlives the cluster, next to the Keycloak logs, for a failed run's post-mortem. */
    private void keepLog() {
        try {
            if (!Files.exists(log)) return;
            Path logs = Path.of(System.getProperty("m2m.test-output", "target")).resolve("keycloak-logs");
            Files.createDirectories(logs);
            Files.copy(log, logs.resolve(base.getFileName() + "-postgres.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // best effort
        }
    }

    private void killPostmaster() {
        try {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) return;
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    // ---- environment

    /** Debian's server binaries: {@code -Dm2m.pg-bin=...} or the newest {@code /usr/lib/postgresql/<ver>/bin}. */
    static Path binaries() {
        String configured = System.getProperty("m2m.pg-bin", System.getenv("M2M_PG_BIN"));
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Optional<Path> newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(PostgresServer::majorVersion));
                if (newest.isPresent()) return newest.get().resolve("bin");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin: install Debian's"
                + " 'postgresql' package (scripts/lib/prerequisites does) or set -Dm2m.pg-bin=<dir with initdb and pg_ctl>");
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        return "0".equals(output(List.of("id", "-u")).trim());
    }

    private static String unprivilegedUser() {
        for (String user : List.of("postgres", "nobody")) {
            if (run(List.of("id", "-u", user), true) == 0) return user;
        }
        throw new IllegalStateException("running as root, but there is neither a 'postgres' nor a 'nobody' user to run PostgreSQL as");
    }

    /**
     * {@code <build output>/<name>}, owned by the server user; when that user cannot reach it (e.g. the checkout is
     * under root's private home), a fresh directory under the temporary directory instead.
     */
    private static Path directory(String name, Optional<String> serverUser) {
        Path out = Path.of(System.getProperty("m2m.test-output", "target")).toAbsolutePath();
        Path dir = out.resolve(name);
        try {
            deleteQuietly(dir);
            Files.createDirectories(dir);
            if (serverUser.isEmpty()) return dir;
            chown(dir, serverUser.get());
            if (run(List.of("runuser", "-u", serverUser.get(), "--", "test", "-w", dir.toString()), true) == 0) return dir;
            deleteQuietly(dir);
            Path tmp = Files.createTempDirectory("m2m-" + name + "-");
            chown(tmp, serverUser.get());
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chown(Path dir, String user) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName(user));
    }

    private static void deleteQuietly(Path dir) {
        try {
            KeycloakServer.deleteTree(dir);
        } catch (IOException e) {
            // best effort: a later initdb or the watchdog fails loudly enough
        }
    }

    private static int run(List<String> cmd, boolean quiet) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            if (quiet) return -1;
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void runChecked(List<String> cmd) {
        output(cmd);
    }

    /** Runs a command (stdin closed, so pg_ctl never waits for a terminal) and returns its output; fails on exit != 0. */
    private static String output(List<String> cmd) {
        try {
            Path out = Files.createTempFile("m2m-pg-", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " timed out:\n" + Files.readString(out));
                }
                String text = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL[" + bin + " 127.0.0.1:" + port + " " + data + "]";
    }
}

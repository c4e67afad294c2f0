package dev.keycloakm2m.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak distribution started as a process: free ports, our provider jar in {@code providers/},
 * readiness via {@code /health/ready}, stopped on {@link #close()}, on JVM shutdown, and by a watchdog
 * process if the test JVM dies without either (so no Keycloak outlives the test run).
 */
public final class KeycloakServer implements AutoCloseable {

    public enum Mode { DEV, PRODUCTION }

    /** How to run one server. */
    public static final class Options {
        Path distHome = Path.of(System.getProperty("keycloak.dist.home", "target/keycloak-dist/keycloak"));
        Path home;
        String name = "keycloak";
        Mode mode = Mode.DEV;
        final List<Path> providers = new ArrayList<>();
        final List<String> buildArgs = new ArrayList<>();
        final List<String> runArgs = new ArrayList<>();
        boolean cleanData = true;
        boolean prebuilt;
        final Map<String, String> env = new java.util.LinkedHashMap<>();
        String httpHost = "127.0.0.1";
        int httpPort;
        int managementPort;

        public Options name(String name) { this.name = name; return this; }
        /** Directory of an installation to use; copied from the unpacked distribution when it does not exist. */
        public Options home(Path home) { this.home = home; return this; }
        public Options distHome(Path distHome) { this.distHome = distHome; return this; }
        public Options mode(Mode mode) { this.mode = mode; return this; }
        public Options provider(Path jar) { providers.add(jar); return this; }
        /** Options that {@code kc.sh build} needs in production mode (also passed to start-dev in dev mode). */
        public Options buildArg(String arg) { buildArgs.add(arg); return this; }
        public Options runArg(String arg) { runArgs.add(arg); return this; }
        public Options cleanData(boolean cleanData) { this.cleanData = cleanData; return this; }
        /**
         * A fresh copy of an installation already built for production ({@code kc.sh build} ran there) into
         * {@link #home}, replacing what was there: its providers and their timestamps are kept and no build runs, so
         * {@code start --optimized} accepts it.
         */
        public Options builtFrom(Path installation) { this.distHome = installation; this.prebuilt = true; return this; }
        /** An environment variable for the server process, e.g. {@code JAVA_OPTS_APPEND}. */
        public Options env(String name, String value) { env.put(name, value); return this; }
        public Options httpPort(int port) { this.httpPort = port; return this; }
        public Options managementPort(int port) { this.managementPort = port; return this; }
    }

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    /**
     * Generous ceilings, not expected durations: the suite must pass on a shared machine doing other work (seen: the
     * augmentation of start-dev alone took 6 minutes at a load average of 40 on 2 cores).
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(2);
    /** A start that failed because a port was taken between {@link #freePort()} and Keycloak's bind is retried. */
    private static final int START_ATTEMPTS = 3;
    /** In a copied installation: the distribution it was copied from. */
    private static final String DIST_MARKER = ".m2m-copied-from";

    private final Options options;
    private final Path home;
    private final Path log;
    private Process process;
    private Process watchdog;
    private final Thread shutdownHook = new Thread(this::stopQuietly, "keycloak-server-shutdown");
    private boolean hookInstalled;

    private KeycloakServer(Options options) {
        this.options = options;
        this.home = options.home != null ? options.home : options.distHome;
        Path out = Path.of(System.getProperty("m2m.test-output", "target"));
        this.log = out.resolve("keycloak-logs").resolve(options.name + ".log");
        if (options.httpPort == 0) options.httpPort = freePort();
        if (options.managementPort == 0) options.managementPort = freePort();
    }

    public static Options options() {
        return new Options();
    }

    /**
     * Installs, (builds,) starts and waits until ready. When the ports were chosen here and another process took one
     * of them before Keycloak bound it (a shared machine), starts again on other free ports.
     */
    public static KeycloakServer start(Options options) {
        boolean ownPorts = options.httpPort == 0 && options.managementPort == 0;
        KeycloakServer server = new KeycloakServer(options);
        server.install();
        for (int attempt = 1; ; attempt++) {
            try {
                server.startProcess();
                return server;
            } catch (PortTaken e) {
                if (!ownPorts || attempt >= START_ATTEMPTS) throw e;
                options.httpPort = freePort();
                options.managementPort = freePort();
            }
        }
    }

    /** Keycloak exited during start because one of its ports was already in use. */
    static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    /**
     * Installs (and in production mode builds) without starting, e.g. to run {@code kc.sh import} into the empty
     * installation first; {@link #startAgain()} starts it.
     */
    public static KeycloakServer prepare(Options options) {
        KeycloakServer server = new KeycloakServer(options);
        server.install();
        return server;
    }

    public String baseUrl() {
        return "http://" + options.httpHost + ":" + options.httpPort;
    }

    public String managementUrl() {
        return "http://" + options.httpHost + ":" + options.managementPort;
    }

    public int httpPort() {
        return options.httpPort;
    }

    public Path home() {
        return home;
    }

    public Path logFile() {
        return log;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Pid of the server JVM (the child of kc.sh, or kc.sh itself after it exec'ed java). */
    public long serverPid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    private void install() {
        try {
            if (!Files.isDirectory(options.distHome.resolve("bin"))) {
                throw new IllegalStateException("No Keycloak distribution at " + options.distHome
                        + " (the Maven build unpacks it in pre-integration-test; run the tests with 'mvn verify')");
            }
            if (options.prebuilt && !home.equals(options.distHome)) {
                deleteTree(home); // always a fresh copy: a stale one would run an older build
            }
            if (!home.equals(options.distHome) && !options.prebuilt && !sameDistribution()) {
                deleteTree(home); // an installation copied from another Keycloak version (an earlier run of another version)
            }
            if (!home.equals(options.distHome) && !Files.isDirectory(home.resolve("bin"))) {
                copyTree(options.distHome, home);
                Files.writeString(home.resolve(DIST_MARKER), options.distHome.toAbsolutePath().normalize().toString());
            }
            if (!options.prebuilt) {
                Path providers = home.resolve("providers");
                Files.createDirectories(providers);
                try (Stream<Path> old = Files.list(providers)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        if (p.getFileName().toString().endsWith(".jar")) Files.delete(p);
                    }
                }
                for (Path jar : options.providers) {
                    Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (options.cleanData) {
                deleteTree(home.resolve("data"));
            }
            Files.createDirectories(log.getParent());
            for (Path script : List.of(home.resolve("bin/kc.sh"))) {
                script.toFile().setExecutable(true);
            }
            if (options.mode == Mode.PRODUCTION && !options.prebuilt) {
                build();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #home} (if it exists) was copied from the distribution under test. */
    private boolean sameDistribution() throws IOException {
        if (!Files.isDirectory(home.resolve("bin"))) return true;
        Path marker = home.resolve(DIST_MARKER);
        return Files.exists(marker)
                && Files.readString(marker).equals(options.distHome.toAbsolutePath().normalize().toString());
    }

    private void build() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        cmd.addAll(KeycloakVersions.adapt(options.buildArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        cleanEnvironment(pb.environment());
        pb.environment().putAll(options.env);
        Process build = pb.start();
        try {
            if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build failed for " + options.name + ":\n" + tail(80));
            }
        } catch (InterruptedException e) {
            build.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during kc.sh build", e);
        }
    }

    private void startProcess() {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/kc.sh").toString());
        if (options.mode == Mode.DEV) {
            cmd.add("start-dev");
            cmd.addAll(KeycloakVersions.adapt(options.buildArgs));
        } else {
            cmd.add("start");
            cmd.add("--optimized");
            cmd.add("--http-enabled=true");
            cmd.add("--hostname-strict=false");
        }
        cmd.add("--http-host=" + options.httpHost);
        cmd.add("--http-port=" + options.httpPort);
        cmd.add("--http-management-port=" + options.managementPort);
        if (options.mode == Mode.PRODUCTION && clustered() && !has(options.runArgs, "--cache-embedded-network-bind-address")) {
            // production mode clusters by default (cache ispn): JGroups on loopback and a free port, never on the
            // machine's address and port 7800 where another Keycloak may listen
            cmd.add("--cache-embedded-network-bind-address=127.0.0.1");
            cmd.add("--cache-embedded-network-bind-port=" + jgroupsPort());
        }
        cmd.addAll(KeycloakVersions.adapt(options.runArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        cleanEnvironment(env);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(options.env);
        try {
            Files.writeString(log, "\n==== " + Instant.now() + " " + String.join(" ", cmd) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookInstalled = true;
        }
        startWatchdog();
        awaitReady();
    }

    /** Whether a production build of these options runs an embedded Infinispan cluster (the default cache, ispn). */
    private boolean clustered() {
        return !options.buildArgs.contains("--cache=local") && !options.runArgs.contains("--cache=local");
    }

    private static boolean has(List<String> args, String option) {
        return args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
    }

    /** JGroups' FD_SOCK2 listens on the transport port + 50000, so transport ports stay below 15536. */
    private static final int FD_SOCK_OFFSET = 50000;

    /** A free port on 127.0.0.1 below 15536 whose FD_SOCK2 partner (+50000) is free too, for JGroups. */
    public static int jgroupsPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(10000, 15000);
            if (freeOnLoopback(port) && freeOnLoopback(port + FD_SOCK_OFFSET)) return port;
        }
        throw new IllegalStateException("no free JGroups port between 10000 and 15000");
    }

    private static boolean freeOnLoopback(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void cleanEnvironment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.equals("JAVA_OPTS_APPEND"));
        env.put("KC_HEALTH_ENABLED", "true");
    }

    /** Kills the server if the test JVM disappears without stopping it (e.g. SIGKILL of Maven). */
    private void startWatchdog() {
        long me = ProcessHandle.current().pid();
        long kc = process.pid();
        String script = "while kill -0 " + me + " 2>/dev/null && kill -0 " + kc + " 2>/dev/null; do sleep 1; done;"
                + " if kill -0 " + kc + " 2>/dev/null; then pkill -TERM -P " + kc + "; kill -TERM " + kc + ";"
                + " sleep 20; pkill -KILL -P " + kc + "; kill -KILL " + kc + "; fi 2>/dev/null";
        try {
            watchdog = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String message = "Keycloak '" + options.name + "' exited with " + process.exitValue()
                        + " during start. Log " + log + ":\n" + tail(120);
                process = null;
                if (logSinceStart().contains("Address already in use")) throw new PortTaken(message);
                throw new IllegalStateException(message);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopQuietly();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(500);
        }
        String tail = tail(120);
        stopQuietly();
        throw new IllegalStateException("Keycloak '" + options.name + "' not ready after " + START_TIMEOUT + ":\n" + tail);
    }

    /** Graceful stop (SIGTERM, then SIGKILL after 60 s). */
    public void stop() {
        if (process == null) return;
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            for (ProcessHandle p : tree) {
                p.onExit().get(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        if (watchdog != null) watchdog.destroy();
        process = null;
    }

    /**
     * SIGKILL of the server JVM and its launcher, as a crash would do. Returns once every one of those processes is
     * gone (so nothing answers on its ports any more); fails if one is still alive after a generous ceiling.
     */
    public void kill() {
        if (process == null) return;
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plus(EXIT_TIMEOUT);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("process " + p.pid() + " of " + this + " still alive " + EXIT_TIMEOUT + " after SIGKILL");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (watchdog != null) watchdog.destroy();
        process = null;
    }

    /** Stops and starts again on the same ports and data. */
    public void restart() {
        stop();
        options.cleanData = false;
        startProcess();
    }

    /** Starts again after {@link #stop()} or {@link #kill()}, keeping data and ports. */
    public void startAgain() {
        if (isRunning()) return;
        startProcess();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // shutting down anyway
        }
    }

    @Override
    public void close() {
        stop();
        if (hookInstalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // JVM already shutting down
            }
        }
    }

    /**
     * Runs a kc.sh sub-command (export, import, ...) against this installation, server stopped or not. Such a
     * command starts Keycloak's management interface on the default 0.0.0.0:9000 unless told otherwise, and its CLI
     * takes no HTTP options: the environment binds it to loopback and a free port, so it neither clashes with another
     * Keycloak nor listens on the network. (It runs with a local cache: no JGroups.)
     */
    public String kc(List<String> args, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/kc.sh").toString());
        cmd.addAll(args);
        try {
            Path out = Files.createTempFile(log.getParent(), options.name + "-kc-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            cleanEnvironment(env);
            // the server's JVM options apply to every kc.sh run on its installation (e.g. the test-only provider's
            // -Dkeycloak-m2m.testing=true, without which Keycloak does not start for an export either)
            env.putAll(options.env);
            env.put("KC_HTTP_HOST", options.httpHost);
            env.put("KC_HTTP_PORT", String.valueOf(freePort()));
            // Keycloak 26.4's kc.sh export/import start the management interface (by default on 0.0.0.0:9000)
            env.put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(freePort()));
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("kc.sh " + args + " timed out:\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kc.sh " + args + " exited with " + p.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The log since the latest start of this server (the harness marks each start with a "==== " line). */
    public String logSinceStart() {
        try {
            if (!Files.exists(log)) return "";
            String all = Files.readString(log);
            int start = all.lastIndexOf("\n==== ");
            return start < 0 ? all : all.substring(start + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tail(int lines) {
        try {
            if (!Files.exists(log)) return "(no log)";
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Keycloak[" + options.name + " " + baseUrl() + "]";
    }

    static Path requiredPath(String property) {
        String value = Objects.requireNonNull(System.getProperty(property),
                "system property " + property + " is not set (run the integration tests with 'mvn verify')");
        return Path.of(value);
    }
}

package dev.keycloakm2m.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;

/**
 * Runs one phase of {@code src/test/browser/admin-theme-test.mjs} with Node.js and playwright-core against Debian's
 * Chromium. Copies the browser directory (script, package.json, package-lock.json) to
 * {@code target/admin-theme-browser/}, runs {@code npm ci} there when the locked playwright-core is not installed,
 * then the script. Fails, never skips, when Node.js 20+, npm or Chromium is missing ({@code scripts/lib/prerequisites}
 * installs them).
 */
final class AdminThemeBrowser {

    static final Path SOURCE = Path.of(System.getProperty("basedir", ".")).resolve("src/test/browser");
    static final Path OUTPUT = Path.of(System.getProperty("m2m.test-output", "target"));
    static final Path WORK = OUTPUT.resolve("admin-theme-browser");
    static final Path SCREENSHOTS = OUTPUT.resolve("screenshots/admin-theme");
    static final Path CHROMIUM = Path.of(System.getProperty("m2m.chromium", "/usr/bin/chromium"));
    static final String SCRIPT = "admin-theme-test.mjs";
    private static final int MIN_NODE_MAJOR = 20;
    private static boolean installed;

    private AdminThemeBrowser() {
    }

    /** Runs the phase with this configuration and returns what the script observed. */
    static JsonNode run(String phase, Map<String, Object> given) {
        install();
        try {
            Map<String, Object> config = new LinkedHashMap<>(given);
            Path configFile = WORK.resolve("config-" + phase + ".json");
            Path output = WORK.resolve("result-" + phase + ".json");
            Files.deleteIfExists(output);
            config.put("phase", phase);
            config.put("chromium", CHROMIUM.toString());
            config.put("screenshots", SCREENSHOTS.toAbsolutePath().toString());
            config.put("output", output.toAbsolutePath().toString());
            Files.writeString(configFile, Http.json(config));
            Path log = WORK.resolve("admin-theme-" + phase + ".log");
            int exit = exec(List.of("node", SCRIPT, configFile.toAbsolutePath().toString()), log, Duration.ofMinutes(10));
            if (!Files.exists(output)) {
                throw new AssertionError("the browser script wrote no result (phase " + phase + ", exit " + exit + "):\n" + tail(log));
            }
            JsonNode result = Http.JSON.readTree(Files.readString(output));
            if (exit != 0) {
                throw new AssertionError("the browser phase " + phase + " failed (exit " + exit + "; screenshots in "
                        + SCREENSHOTS + "):\n" + result.path("failure").asText() + "\n" + tail(log));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void install() {
        if (installed) return;
        String version = output(List.of("node", "--version"), "Node.js " + MIN_NODE_MAJOR + "+");
        Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            throw new AssertionError("Node.js " + MIN_NODE_MAJOR + "+ is needed for the browser test, found " + version.trim());
        }
        output(List.of("npm", "--version"), "npm");
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("Chromium is needed for the browser test and is not at " + CHROMIUM
                    + ": install Debian's package (apt-get install chromium; scripts/lib/prerequisites does it) or pass"
                    + " -Dm2m.chromium=/path/to/chromium");
        }
        try {
            Files.createDirectories(WORK);
            try (Stream<Path> files = Files.list(SOURCE)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String locked = Http.JSON.readTree(WORK.resolve("package-lock.json").toFile())
                    .at("/packages/node_modules~1playwright-core/version").asText();
            Path present = WORK.resolve("node_modules/playwright-core/package.json");
            if (locked.isEmpty()) throw new AssertionError("package-lock.json does not lock playwright-core");
            if (!Files.exists(present) || !locked.equals(Http.JSON.readTree(present.toFile()).path("version").asText())) {
                Path log = WORK.resolve("npm-ci.log");
                int exit = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), log, Duration.ofMinutes(5));
                if (exit != 0) throw new AssertionError("npm ci failed (exit " + exit + "):\n" + tail(log));
            }
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int exec(List<String> command, Path log, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // playwright-core never downloads a browser; make sure no install hook of a dependency tries either
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + tail(log));
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String output(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(what + " is needed for the browser test: '" + String.join(" ", command) + "' failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(what + " is needed for the browser test and is not on the PATH"
                    + " (scripts/lib/prerequisites installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) return "(no output)";
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}

package dev.keycloakm2m.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;

/** Checks the jar a user drops into providers/, not target/classes. */
class ProviderJarIT {

    @Test
    @DisplayName("every META-INF/services entry names a class that is in the jar")
    void serviceEntriesResolve() throws IOException {
        try (JarFile jar = new JarFile(KeycloakExtension.jar().toFile())) {
            List<String> services = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (JarEntry e : jar.stream().toList()) {
                if (e.isDirectory() || !e.getName().startsWith("META-INF/services/")) continue;
                services.add(e.getName());
                try (InputStream in = jar.getInputStream(e)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String cls = line.replaceAll("#.*", "").trim();
                        if (cls.isEmpty()) continue;
                        if (jar.getEntry(cls.replace('.', '/') + ".class") == null) {
                            missing.add(e.getName() + " -> " + cls);
                        }
                    }
                }
            }
            assertThat(services).as("service files").isNotEmpty();
            assertThat(missing).as("service entries without a class in the jar").isEmpty();
        }
    }

    @Test
    @DisplayName("the jar holds only our classes and resources: no Keycloak, Jakarta or shaded library classes")
    void onlyOurClasses() throws IOException {
        try (JarFile jar = new JarFile(KeycloakExtension.jar().toFile())) {
            List<String> foreign = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class"))
                    .filter(n -> !n.startsWith("dev/keycloakm2m/"))
                    .toList();
            assertThat(foreign).isEmpty();
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Title")).isEqualTo("keycloak-m2m");
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(System.getProperty("m2m.version"));
        }
    }

    /** What only the test-only provider has: its package, its service registration, its clock endpoint. */
    static List<String> testingContent(Path jarPath) throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry e : jar.stream().toList()) {
                String name = e.getName();
                if (name.startsWith("dev/keycloakm2m/testing/")
                        || name.equals("META-INF/services/org.keycloak.services.resource.RealmResourceProviderFactory")) {
                    found.add(name);
                }
                if (name.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                        if (text.contains("time-offset") || text.contains("m2m-testing") || text.contains("Time.setOffset")
                                || text.contains("setOffset")) {
                            found.add(name + " (clock endpoint)");
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    @DisplayName("no jar a user could copy from spi/target/ (cp spi/target/*.jar providers/) holds the test-only provider")
    void noTestingProviderInSpiTarget() throws IOException {
        Path spiTarget = KeycloakExtension.jar().getParent();
        List<Path> jars;
        try (Stream<Path> files = Files.list(spiTarget)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(jars).as("jars in %s", spiTarget).contains(KeycloakExtension.jar());
        for (Path jar : jars) {
            assertThat(testingContent(jar)).as("test-only content in %s", jar).isEmpty();
        }
        // the check above finds the provider where it is: in its own module's target/, not in spi/target/
        Path testing = KeycloakExtension.testingJar();
        assertThat(testing.getParent()).isNotEqualTo(spiTarget);
        assertThat(testingContent(testing)).as("the test-only jar itself")
                .contains("dev/keycloakm2m/testing/provider/TestingResourceProviderFactory.class",
                        "META-INF/services/org.keycloak.services.resource.RealmResourceProviderFactory");
    }

    @Test
    @DisplayName("a server with the test-only provider but without -Dkeycloak-m2m.testing=true refuses to start, saying why")
    void testingProviderRefusesToStartWithoutProperty() {
        Path target = Path.of(System.getProperty("m2m.test-output", "target"));
        KeycloakServer.Options options = KeycloakServer.options().name("keycloak-testing-provider-refused")
                .home(target.resolve("keycloak-testing-provider-refused"))
                .provider(KeycloakExtension.jar()).provider(KeycloakExtension.testingJar());
        KeycloakServer started = null;
        try {
            started = KeycloakServer.start(options);
        } catch (IllegalStateException refused) {
            assertThat(refused.getMessage()).as("what the server printed")
                    .contains("exited with")
                    .contains("keycloak-m2m-testing-provider is installed, but it is a test-only provider")
                    .contains("Remove keycloak-m2m-testing-provider-*.jar from providers/");
            return;
        } finally {
            if (started != null) started.close();
        }
        throw new AssertionError("Keycloak started with the test-only provider and without -Dkeycloak-m2m.testing=true");
    }
}

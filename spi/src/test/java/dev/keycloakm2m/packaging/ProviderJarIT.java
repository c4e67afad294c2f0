package dev.keycloakm2m.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.testing.KeycloakExtension;

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
}

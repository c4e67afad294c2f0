package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.KeycloakExtension;

/** The provider jar carries the admin theme keycloak-m2m the way Keycloak loads themes from provider jars. */
class AdminThemeJarIT {

    static final String THEME = "theme/keycloak-m2m/admin/";

    @Test
    @DisplayName("keycloak-themes.json declares the admin theme; theme.properties extends Keycloak's console; the built console and its messages are inside")
    void themeLayout() throws IOException {
        try (JarFile jar = new JarFile(KeycloakExtension.jar().toFile())) {
            JsonNode themes = Http.JSON.readTree(read(jar, "META-INF/keycloak-themes.json"));
            assertThat(themes.at("/themes/0/name").asText()).isEqualTo("keycloak-m2m");
            assertThat(themes.at("/themes/0/types/0").asText()).isEqualTo("admin");

            Properties props = new Properties();
            props.load(new java.io.StringReader(read(jar, THEME + "theme.properties")));
            assertThat(props.getProperty("parent")).isEqualTo("keycloak.v2");

            JsonNode manifest = Http.JSON.readTree(read(jar, THEME + "resources/.vite/manifest.json"));
            String entry = manifest.path("src/main.tsx").path("file").asText();
            assertThat(manifest.path("src/main.tsx").path("isEntry").asBoolean()).isTrue();
            assertThat(jar.getEntry(THEME + "resources/" + entry)).as("entry script %s", entry).isNotNull();
            assertThat(jar.getEntry(THEME + "messages/messages_en.properties")).isNotNull();
            assertThat(jar.getEntry(THEME + "messages/messages_de.properties")).isNotNull();

            List<String> stray = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.contains("node_modules/") || n.endsWith(".map") || n.endsWith(".tsx") || n.contains(".keycloak-m2m-lock"))
                    .toList();
            assertThat(stray).as("build inputs or source maps in the jar").isEmpty();
        }
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry e = jar.getJarEntry(name);
        assertThat(e).as(name).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

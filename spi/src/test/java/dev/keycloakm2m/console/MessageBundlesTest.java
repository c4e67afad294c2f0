package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.PropertyResourceBundle;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;

/** The message bundles of the provider jar, read as Keycloak reads them. */
class MessageBundlesTest {

    @ParameterizedTest(name = "messages_{0}")
    @ValueSource(strings = {"en", "de"})
    @DisplayName("the bundle is strict UTF-8, so Keycloak does not fall back to ISO-8859-1 and umlauts survive")
    void bundleIsUtf8(String locale) throws IOException {
        byte[] bytes = raw(locale);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new AssertionError("messages_" + locale + ".properties is not valid UTF-8", e);
        }
    }

    @Test
    @DisplayName("German umlauts read back as Keycloak reads theme-resources bundles (PropertyResourceBundle)")
    void umlautsAsKeycloakReadsThem() throws IOException {
        Properties de = bundle("de");
        assertThat(de.getProperty("m2m.api.tokenLifetime")).isEqualTo("Token-Gültigkeit (Sekunden)");
        assertThat(de.getProperty("m2m.grant.allowAllScopes.help")).contains("hinzugefügte");
    }

    @Test
    @DisplayName("the German bundle has exactly the English keys")
    void sameKeys() throws IOException {
        Set<String> en = new TreeSet<>(bundle("en").stringPropertyNames());
        Set<String> de = new TreeSet<>(bundle("de").stringPropertyNames());
        assertThat(en).isNotEmpty();
        assertThat(de).isEqualTo(en);
    }

    @ParameterizedTest(name = "messages_{0}")
    @ValueSource(strings = {"en", "de"})
    @DisplayName("no help text is a copy of its label, and none contains a raw key of ours")
    void helpTextsSayMoreThanLabels(String locale) throws IOException {
        Properties bundle = bundle(locale);
        for (String key : bundle.stringPropertyNames()) {
            String text = bundle.getProperty(key);
            assertThat(text).as(key).doesNotContain("m2m.").doesNotContain("m2m-");
            if (key.endsWith(".help")) {
                String label = bundle.getProperty(key.substring(0, key.length() - ".help".length()));
                assertThat(text).as(key).isNotEqualTo(label).endsWith(".");
            }
        }
    }

    /** As Keycloak's {@code PropertiesUtil.readCharsetAware}: UTF-8, ISO-8859-1 only if that fails. */
    static Properties bundle(String locale) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new java.io.ByteArrayInputStream(raw(locale))) {
            PropertyResourceBundle bundle = new PropertyResourceBundle(in);
            for (String key : bundle.keySet()) properties.put(key, bundle.getString(key));
        }
        // also catch duplicate keys, which PropertyResourceBundle silently merges
        List<String> seen = new ArrayList<>();
        Properties plain = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                if (containsKey(key)) seen.add((String) key);
                return super.put(key, value);
            }
        };
        plain.load(new StringReader(new String(raw(locale), StandardCharsets.UTF_8)));
        assertThat(seen).as("duplicate keys in messages_%s.properties", locale).isEmpty();
        return properties;
    }

    static byte[] raw(String locale) throws IOException {
        return resource("theme-resources/messages/messages_" + locale + ".properties");
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new AssertionError("not on the class path: " + path);
            return in.readAllBytes();
        }
    }
}

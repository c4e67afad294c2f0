package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin theme keycloak-m2m shows {@code t("m2m...")} for every label and help text of our pages; a key missing
 * from a bundle would be shown raw. Reads the theme's sources and its bundles as Keycloak reads them (UTF-8).
 */
class AdminThemeMessagesTest {

    static final Path THEME = Path.of(System.getProperty("basedir", ".")).resolve("../theme");
    static final Path MESSAGES = THEME.resolve("maven-resources/theme/keycloak-m2m/admin/messages");
    /** A message key in the sources: "m2m..." in quotes; keys built from a prefix end with "_" plus a value. */
    static final Pattern KEY = Pattern.compile("[\"`](m2m[A-Z][A-Za-z0-9]*(_\\$\\{)?)");

    @ParameterizedTest(name = "messages_{0}")
    @ValueSource(strings = {"en", "de"})
    @DisplayName("every key the pages use is in the bundle with a non-blank text")
    void everyKeyIsTranslated(String locale) throws IOException {
        Properties bundle = bundle(locale);
        Set<String> missing = new TreeSet<>();
        for (String key : sourceKeys()) {
            if (key.endsWith("_${")) {
                String prefix = key.substring(0, key.length() - 2);
                if (bundle.stringPropertyNames().stream().noneMatch(k -> k.startsWith(prefix))) missing.add(key);
            } else if (bundle.getProperty(key) == null || bundle.getProperty(key).isBlank()) {
                missing.add(key);
            }
        }
        assertThat(sourceKeys()).as("keys found in the theme's sources").contains("m2mApis", "m2mTabApplications", "m2mUsedOf");
        assertThat(missing).as("keys missing from messages_%s.properties", locale).isEmpty();
    }

    @Test
    @DisplayName("English and German have the same keys, and every help text names Auth0's term or the field's effect")
    void sameKeysInBothLanguages() throws IOException {
        assertThat(new TreeSet<>(bundle("de").stringPropertyNames())).isEqualTo(new TreeSet<>(bundle("en").stringPropertyNames()));
        for (String locale : new String[] {"en", "de"}) {
            Properties b = bundle(locale);
            for (String key : new String[] {"m2mTokenLifetimeHelp", "m2mTokenDialectHelp", "m2mPermissionHelp", "m2mDefaultAudienceHelp",
                    "m2mPerHourHelp", "m2mDefaultQuotaHelp", "m2mClientPolicyHelp", "m2mSigningAlgHelp"}) {
                assertThat(b.getProperty(key)).as("%s in %s", key, locale).contains("Auth0");
            }
        }
    }

    static Properties bundle(String locale) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(MESSAGES.resolve("messages_" + locale + ".properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    static Set<String> sourceKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(THEME.resolve("src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tsx") || p.toString().endsWith(".ts")).toList()) {
                Matcher m = KEY.matcher(Files.readString(f));
                while (m.find()) keys.add(m.group(1));
            }
        }
        return keys;
    }
}

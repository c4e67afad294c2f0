package dev.keycloakm2m;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.jboss.logging.Logger;

/**
 * What this extension reports about itself: its version, read once from the provider jar's manifest
 * ({@code Implementation-Title: keycloak-m2m}, {@code Implementation-Version}).
 */
public final class ExtensionInfo {

    public static final String TITLE = "keycloak-m2m";

    private static final Logger LOG = Logger.getLogger(ExtensionInfo.class);
    private static final String VERSION = readVersion();

    private ExtensionInfo() {
    }

    /** The extension version, or {@code "unknown"} when not running from the packaged jar. */
    public static String version() {
        return VERSION;
    }

    /** Operational info every provider factory of ours reports to the server info endpoint. */
    public static Map<String, String> operationalInfo(Map<String, String> extra) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("extension", TITLE);
        info.put("version", VERSION);
        info.putAll(extra);
        return info;
    }

    public static Map<String, String> operationalInfo() {
        return operationalInfo(Map.of());
    }

    private static String readVersion() {
        Package pkg = ExtensionInfo.class.getPackage();
        if (pkg != null && TITLE.equals(pkg.getImplementationTitle()) && pkg.getImplementationVersion() != null) {
            return pkg.getImplementationVersion();
        }
        ClassLoader loader = ExtensionInfo.class.getClassLoader();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                try (InputStream in = url.openStream()) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    if (TITLE.equals(main.getValue(Attributes.Name.IMPLEMENTATION_TITLE))) {
                        String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
                        if (version != null) {
                            return version;
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf(e, "Could not read the %s manifest", TITLE);
        }
        return "unknown";
    }
}

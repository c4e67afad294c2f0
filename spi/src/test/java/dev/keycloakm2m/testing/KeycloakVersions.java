package dev.keycloakm2m.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where the tests know how the Keycloak versions we support differ (README "Supported Keycloak
 * versions"). The version under test is the distribution the build unpacked: {@code -Dkeycloak.dist.version=...}.
 */
public final class KeycloakVersions {

    private KeycloakVersions() {
    }

    /** The distribution under test, e.g. {@code 26.4.7}. */
    public static String dist() {
        return System.getProperty("keycloak.dist.version", "26.7.0");
    }

    public static boolean atLeast(int major, int minor) {
        String[] parts = dist().split("[.-]");
        int ma = Integer.parseInt(parts[0]);
        int mi = Integer.parseInt(parts[1]);
        return ma > major || (ma == major && mi >= minor);
    }

    /** Keycloak's experimental {@code resource-indicators} feature exists from 26.6 on. */
    public static boolean hasResourceIndicators() {
        return atLeast(26, 6);
    }

    /**
     * Keycloak's introspection endpoint answers {@code active:false} to a client that is not in the token's
     * audience from 26.6 on (absent in 26.5.6); before, any authenticated client may introspect any token.
     */
    public static boolean introspectionChecksAudience() {
        return atLeast(26, 6);
    }

    /**
     * Keycloak's token endpoint strips control characters from every parameter and drops parameters longer than
     * its limits from 26.6 on (absent in 26.5.6); before, the values reach the grant as sent.
     */
    public static boolean limitsTokenParameters() {
        return atLeast(26, 6);
    }

    /**
     * The admin theme is Keycloak 26.7's console with our pages: supported on 26.7 only (README "Supported Keycloak
     * versions": older servers have no view-organizations role, which that console requires for Keycloak's organization
     * pages; the server logs a WARN there). The browser test is skipped on older versions.
     */
    public static boolean consoleSupported() {
        return atLeast(26, 7);
    }

    /**
     * Command-line options adapted to the version under test, applied by {@link KeycloakServer} to every
     * {@code kc.sh} invocation: features that do not exist in this version are dropped from {@code --features}
     * (Keycloak refuses to start with an unknown feature).
     */
    static List<String> adapt(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--features=")) {
                List<String> features = new ArrayList<>(List.of(arg.substring("--features=".length()).split(",")));
                if (!hasResourceIndicators()) features.remove("resource-indicators");
                if (features.isEmpty()) continue;
                out.add("--features=" + String.join(",", features));
            } else {
                out.add(arg);
            }
        }
        return out;
    }
}

package dev.keycloakm2m.testing;

import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Keycloak (the unpacked distribution with the jar just built in {@code providers/}) for the whole test
 * run, started on free ports when the first test class needs it and stopped when the run ends; each top-level
 * test class gets its own realm, deleted after the class. Inject {@link KeycloakServer}, {@link AdminClient} or
 * {@link TestRealm} as parameters.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KeycloakExtension.class);

    /** Lets the test-only provider start: without it, a server with that jar refuses to start (ProviderJarIT). */
    public static final String TESTING_PROPERTY = "-Dkeycloak-m2m.testing=true";

    /** Shared server, closed by JUnit when the root context closes (end of the run). */
    static final class SharedServer implements AutoCloseable {
        final KeycloakServer server;
        final AdminClient admin;

        SharedServer() {
            server = KeycloakServer.start(KeycloakServer.options()
                    .name("keycloak-it")
                    .provider(KeycloakServer.requiredPath("m2m.jar"))
                    .provider(KeycloakServer.requiredPath("m2m.testing-jar"))
                    // every test runs with the extension's meters recording (MetricsIT reads them); off: FeatureFlagsIT
                    .buildArg("--metrics-enabled=true")
                    .env("JAVA_OPTS_APPEND", TESTING_PROPERTY));
            admin = AdminClient.master(server);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    public static SharedServer shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(SharedServer.class, k -> new SharedServer(), SharedServer.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedServer shared = shared(context);
        if (context.getStore(NS).get(TestRealm.class, TestRealm.class) == null) {
            String name = realmName(context.getRequiredTestClass());
            context.getStore(NS).put(TestRealm.class, TestRealm.create(shared.server, shared.admin, name));
        }
    }

    static String realmName(Class<?> testClass) {
        Class<?> top = testClass;
        while (top.getEnclosingClass() != null) top = top.getEnclosingClass();
        return "it-" + top.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
        Class<?> type = p.getParameter().getType();
        return type == KeycloakServer.class || type == AdminClient.class || type == TestRealm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
        Class<?> type = p.getParameter().getType();
        SharedServer shared = shared(e);
        if (type == KeycloakServer.class) return shared.server;
        if (type == AdminClient.class) return shared.admin;
        TestRealm realm = e.getStore(NS).get(TestRealm.class, TestRealm.class);
        if (realm == null) throw new ParameterResolutionException("no realm: KeycloakExtension.beforeAll did not run");
        return realm;
    }

    public static Path jar() {
        return KeycloakServer.requiredPath("m2m.jar");
    }

    /**
     * The test-only provider jar (clock offset, counter reads), from {@code testing-provider/target/}: never shipped,
     * starts only with {@link #TESTING_PROPERTY}.
     */
    public static Path testingJar() {
        return KeycloakServer.requiredPath("m2m.testing-jar");
    }
}

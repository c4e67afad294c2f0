package dev.keycloakm2m.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

@DisplayName("SessionRealmView: client lookups")
class SessionRealmViewTest {

    /** Client ids looked up in Keycloak, in order. */
    private final List<String> lookups = new ArrayList<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final RealmModel realm = stub(RealmModel.class, (name, args) -> switch (name) {
        case "getId" -> "realm-id-" + System.identityHashCode(this);
        case "getName" -> "test";
        case "getComponentsStream" -> Stream.empty();
        default -> null;
    });
    private final ClientModel svc = stub(ClientModel.class, (name, args) -> switch (name) {
        case "getClientId" -> "svc";
        case "isServiceAccountsEnabled" -> true;
        default -> null;
    });
    private final ClientProvider clients = stub(ClientProvider.class, (name, args) -> {
        if (!name.equals("getClientByClientId")) return null;
        lookups.add((String) args[1]);
        return "svc".equals(args[1]) ? svc : null;
    });
    private final KeycloakSession session = stub(KeycloakSession.class, (name, args) -> switch (name) {
        case "getAttribute" -> attributes.get((String) args[0]);
        case "setAttribute" -> attributes.put((String) args[0], args[1]);
        case "removeAttribute" -> attributes.remove((String) args[0]);
        case "clients" -> clients;
        default -> null;
    });

    @Test
    @DisplayName("a view looks up each client once, however many grants name it (imports of thousands of grants stay linear)")
    void looksUpEachClientOnce() {
        SessionRealmView view = SessionRealmView.empty(session, realm);

        for (int i = 0; i < 3; i++) {
            assertThat(view.client("svc")).hasValueSatisfying(c -> assertThat(c.serviceAccountsEnabled()).isTrue());
            assertThat(view.client("missing")).isEmpty();
        }

        assertThat(lookups).containsExactly("svc", "missing");
    }

    @Test
    @DisplayName("each write gets a view of its own, so a client changed since is seen as it is now")
    void newViewAsksKeycloakAgain() {
        SessionRealmView.empty(session, realm).client("svc");
        SessionRealmView.empty(session, realm).client("svc");

        assertThat(lookups).containsExactly("svc", "svc");
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().equals("equals")) return proxy == args[0];
            if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
            Object value = answer.answer(method.getName(), args);
            if (value != null || !method.getReturnType().isPrimitive()) return value;
            Class<?> r = method.getReturnType();
            if (r == boolean.class) return Boolean.FALSE;
            if (r == long.class) return 0L;
            if (r == void.class) return null;
            return 0;
        });
    }
}

package dev.keycloakm2m.legacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The configuration of the m2m components a realm import brings, kept in the session instead of Keycloak's
 * {@code COMPONENT_CONFIG} rows. Keycloak validates each imported component ({@code validateConfiguration}) just
 * before it persists it; we take its configuration there and hand Keycloak an empty one, so the import persists one
 * bare {@code COMPONENT} row per entity instead of that row and about six config rows. Keycloak's realm import
 * flushes its persistence context many times after the components (once per client service account it creates),
 * checking every entity in it each time: with 10,000 grants that was most of the import's time. {@link LegacyImport}
 * reads the configurations back from here once the realm is created, then removes the bare components.
 */
final class ImportedConfigs {

    private static final String ATTRIBUTE = "m2m.imported-configs:";

    /** The model object Keycloak persists (its id is set once persisted) and the configuration taken from it. */
    private record Taken(ComponentModel model, MultivaluedHashMap<String, String> config) {
    }

    private ImportedConfigs() {
    }

    /** Takes the configuration of a component being imported into {@code realm}; Keycloak persists it without. */
    static void take(KeycloakSession session, RealmModel realm, ComponentModel model) {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (model.getConfig() != null) model.getConfig().forEach((k, v) -> config.put(k, v == null ? null : new ArrayList<>(v)));
        takenOf(session, realm, true).add(new Taken(model, config));
        model.setConfig(new MultivaluedHashMap<>());
    }

    /** The configurations taken during this realm's import, by component id; forgotten once read. */
    static Map<String, MultivaluedHashMap<String, String>> release(KeycloakSession session, RealmModel realm) {
        List<Taken> taken = takenOf(session, realm, false);
        session.removeAttribute(ATTRIBUTE + realm.getId());
        Map<String, MultivaluedHashMap<String, String>> byId = new HashMap<>();
        if (taken != null) for (Taken t : taken) if (t.model().getId() != null) byId.put(t.model().getId(), t.config());
        return byId;
    }

    @SuppressWarnings("unchecked")
    private static List<Taken> takenOf(KeycloakSession session, RealmModel realm, boolean create) {
        List<Taken> taken = (List<Taken>) session.getAttribute(ATTRIBUTE + realm.getId());
        if (taken == null && create) {
            taken = new ArrayList<>();
            session.setAttribute(ATTRIBUTE + realm.getId(), taken);
        }
        return taken;
    }
}

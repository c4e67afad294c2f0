package dev.keycloakm2m.legacy;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.kc.ComponentRows;

/**
 * The m2m components a realm import brings, kept in the session instead of Keycloak's tables. Keycloak validates each
 * imported component ({@code validateConfiguration}) just before it persists it: we take the component and its
 * configuration there and hand Keycloak an empty configuration; at the next one, the bare row Keycloak persisted for
 * the previous one is removed again ({@link ComponentRows}). Keycloak's realm import flushes its persistence context
 * many times after the components (on every query, for example while it creates each client's service account), and
 * every flush checks every entity in that context: with 10,000 grants kept there, that was most of the import's
 * time. {@link LegacyImport} converts the components from here once the realm is created.
 */
final class ImportedComponents {

    private static final String ATTRIBUTE = "m2m.imported-components:";

    /** The model Keycloak persists (its id is set once persisted) and the configuration taken from it. */
    private record Taken(ComponentModel model, MultivaluedHashMap<String, String> config) {
    }

    /** What was taken during one realm's import; the first {@code removed} of them have had their bare row removed. */
    private static final class Import {
        final List<Taken> taken = new ArrayList<>();
        int removed;

        /** Removes the rows of every component taken so far: Keycloak persisted each right after it was taken. */
        void removeRows(KeycloakSession session, RealmModel realm) {
            List<String> ids = new ArrayList<>();
            for (int i = removed; i < taken.size(); i++) {
                String id = taken.get(i).model().getId();
                if (id != null) ids.add(id);
            }
            ComponentRows.remove(session, realm.getId(), ids);
            removed = taken.size();
        }
    }

    private ImportedComponents() {
    }

    /** Takes a component being imported into {@code realm}; Keycloak persists it without configuration. */
    static void take(KeycloakSession session, RealmModel realm, ComponentModel model) {
        Import imp = importOf(session, realm, true);
        imp.removeRows(session, realm);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (model.getConfig() != null) model.getConfig().forEach((k, v) -> config.put(k, v == null ? null : new ArrayList<>(v)));
        imp.taken.add(new Taken(model, config));
        model.setConfig(new MultivaluedHashMap<>());
    }

    /**
     * The components taken during this realm's import, in file order, each with its configuration back; none of them
     * is left in the realm. Forgotten once read.
     */
    static List<ComponentModel> release(KeycloakSession session, RealmModel realm) {
        Import imp = importOf(session, realm, false);
        session.removeAttribute(ATTRIBUTE + realm.getId());
        if (imp == null) return List.of();
        imp.removeRows(session, realm);
        List<ComponentModel> models = new ArrayList<>();
        for (Taken t : imp.taken) {
            if (t.model().getId() == null) continue;
            t.model().setConfig(t.config());
            models.add(t.model());
        }
        return models;
    }

    private static Import importOf(KeycloakSession session, RealmModel realm, boolean create) {
        Import imp = (Import) session.getAttribute(ATTRIBUTE + realm.getId());
        if (imp == null && create) {
            imp = new Import();
            session.setAttribute(ATTRIBUTE + realm.getId(), imp);
        }
        return imp;
    }
}

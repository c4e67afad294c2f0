package dev.keycloakm2m.legacy;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Realm import of a file in the component format: accepted while the realm is created, converted once it is. */
public final class LegacyModelEvents {

    private LegacyModelEvents() {
    }

    public static void realmCreating(KeycloakSession session, RealmModel realm) {
        LegacyComponentFactories.importing(session, realm, true);
    }

    public static void realmCreated(KeycloakSession session, RealmModel realm) {
        LegacyComponentFactories.importing(session, realm, false);
        LegacyImport.convert(session, realm, true);
    }
}

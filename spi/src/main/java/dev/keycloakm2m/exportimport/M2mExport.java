package dev.keycloakm2m.exportimport;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.RealmRepresentation;

import dev.keycloakm2m.legacy.LegacyExport;
import dev.keycloakm2m.store.RealmIndexCache;

/** Adds a realm's m2m data (read in a transaction of its own) to its exported representation. */
final class M2mExport {

    private M2mExport() {
    }

    static void addTo(KeycloakSessionFactory factory, RealmRepresentation rep) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = rep.getId() != null ? session.realms().getRealm(rep.getId()) : session.realms().getRealmByName(rep.getRealm());
            if (realm != null) LegacyExport.addTo(rep, RealmIndexCache.get(session, realm));
        });
    }
}

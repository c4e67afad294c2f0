package dev.keycloakm2m.kc;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.EntityManager;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.jpa.entities.ComponentEntity;
import org.keycloak.models.jpa.entities.RealmEntity;

/**
 * Removes realm components through the JPA entities, without {@code RealmModel.removeComponent}. That method asks
 * every user storage whether it owns the component (a query), and every query makes Hibernate check every entity of
 * the persistence context first: removing n components of a large realm one by one cost O(n²). Here a removal is an
 * in-memory change that the next flush writes. For m2m components only: nothing is notified (no user storage, no
 * component factory hook), and the caller invalidates the cached realm by a change through the model.
 */
public final class ComponentRows {

    private ComponentRows() {
    }

    /** Removes the realm's components of these ids that exist (persisted, or persisted in this transaction). */
    public static void remove(KeycloakSession session, String realmId, Collection<String> ids) {
        if (ids.isEmpty()) return;
        EntityManager em = KeycloakAdapter.entityManager(session);
        RealmEntity realm = em.find(RealmEntity.class, realmId);
        if (realm == null) return;
        Set<String> wanted = new HashSet<>(ids);
        List<ComponentEntity> gone = realm.getComponents().stream().filter(c -> wanted.contains(c.getId())).toList();
        gone.forEach(realm.getComponents()::remove);
        gone.forEach(em::remove);
    }
}

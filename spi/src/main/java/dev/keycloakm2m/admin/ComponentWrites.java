package dev.keycloakm2m.admin;

import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.store.M2mComponentValidationException;

/**
 * Writes go through Keycloak's component model like the console's, so the factory's {@code validateConfiguration}
 * runs the one validator per entity and the lifecycle hooks cascade. Its refusals come back as the validator's
 * problems and decide the status (400 / 404 / 409).
 */
final class ComponentWrites {

    private ComponentWrites() {
    }

    static ComponentModel create(RealmModel realm, ComponentModel model) {
        return create(realm, model, Map.of());
    }

    static void update(RealmModel realm, ComponentModel model) {
        update(realm, model, Map.of());
    }

    /** {@code bodyFields}: the request body's names of fields the component stores under another name. */
    static ComponentModel create(RealmModel realm, ComponentModel model, Map<String, String> bodyFields) {
        try {
            return realm.addComponentModel(model);
        } catch (M2mComponentValidationException e) {
            throw AdminRequestException.of(e.validation(), bodyFields);
        } catch (ComponentValidationException e) {
            throw AdminRequestException.badRequest(null, e.getMessage());
        }
    }

    static void update(RealmModel realm, ComponentModel model, Map<String, String> bodyFields) {
        try {
            realm.updateComponent(model);
        } catch (M2mComponentValidationException e) {
            throw AdminRequestException.of(e.validation(), bodyFields);
        } catch (ComponentValidationException e) {
            throw AdminRequestException.badRequest(null, e.getMessage());
        }
    }
}

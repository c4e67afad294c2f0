package dev.keycloakm2m.kc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.ProviderEvent;

/**
 * Keycloak's Organizations ({@link OrganizationProvider}) as the extension needs them: look an organization up by id
 * or alias, and learn that one was removed. Organizations are supported from Keycloak 26.0 on; a realm uses them when
 * its {@code organizationsEnabled} is on (and the server's {@code organization} feature, on by default, is on).
 */
public final class Organizations {

    /** What the extension keeps of an organization. {@code enabled}: the organization and its realm's organizations. */
    public record Organization(String id, String alias, String name, boolean enabled) {
    }

    /**
     * {@code OrganizationModel.OrganizationRemovedEvent}: fired by Keycloak 26.7 (not by 26.4 or 26.5) just before the
     * organization's row is deleted; {@code null} where it does not exist. The foreign keys of our tables cascade
     * either way.
     */
    private static final Class<?> REMOVED_EVENT = removedEventClass();
    private static final MethodHandle REMOVED_ORGANIZATION = removedOrganization();
    private static final MethodHandle REMOVED_SESSION = removedSession();

    private Organizations() {
    }

    private static Class<?> removedEventClass() {
        try {
            return Class.forName("org.keycloak.models.OrganizationModel$OrganizationRemovedEvent", false,
                    OrganizationModel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle removedOrganization() {
        if (REMOVED_EVENT == null) return null;
        try {
            return MethodHandles.publicLookup().findVirtual(REMOVED_EVENT, "getOrganization", MethodType.methodType(OrganizationModel.class))
                    .asType(MethodType.methodType(OrganizationModel.class, Object.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle removedSession() {
        if (REMOVED_EVENT == null) return null;
        try {
            return MethodHandles.publicLookup().findVirtual(REMOVED_EVENT, "getKeycloakSession", MethodType.methodType(KeycloakSession.class))
                    .asType(MethodType.methodType(KeycloakSession.class, Object.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** An organization Keycloak is removing: its session, realm id and organization id. */
    public record Removal(KeycloakSession session, String realmId, String organizationId) {
    }

    /** The organization this event announces the removal of, if it is such an event. */
    public static Optional<Removal> removal(ProviderEvent event) {
        if (REMOVED_EVENT == null || REMOVED_ORGANIZATION == null || REMOVED_SESSION == null || !REMOVED_EVENT.isInstance(event)) {
            return Optional.empty();
        }
        try {
            OrganizationModel org = (OrganizationModel) REMOVED_ORGANIZATION.invoke((Object) event);
            KeycloakSession session = (KeycloakSession) REMOVED_SESSION.invoke((Object) event);
            RealmModel realm = session.getContext().getRealm();
            if (org == null || realm == null) return Optional.empty();
            return Optional.of(new Removal(session, realm.getId(), org.getId()));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The organization of {@code realm} whose id, else alias, is {@code idOrAlias}; empty when there is none (or the
     * server has no organizations at all).
     */
    public static Optional<Organization> find(KeycloakSession session, RealmModel realm, String idOrAlias) {
        if (idOrAlias == null || idOrAlias.isEmpty()) return Optional.empty();
        return withRealm(session, realm, provider -> {
            OrganizationModel org = byIdOrNull(provider, idOrAlias);
            if (org == null) org = provider.getByAlias(idOrAlias);
            return Optional.ofNullable(org).map(Organizations::of);
        });
    }

    /** The organization of {@code realm} with this id. */
    public static Optional<Organization> byId(KeycloakSession session, RealmModel realm, String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        return withRealm(session, realm, provider -> Optional.ofNullable(byIdOrNull(provider, id)).map(Organizations::of));
    }

    private static OrganizationModel byIdOrNull(OrganizationProvider provider, String id) {
        try {
            return provider.getById(id);
        } catch (org.keycloak.models.ModelException e) {
            return null; // the id of another realm's organization
        }
    }

    private static Organization of(OrganizationModel org) {
        return new Organization(org.getId(), org.getAlias(), org.getName(), org.isEnabled());
    }

    /** Keycloak's organization provider works on the session's realm: set it for the call if it is another one. */
    private static <T> Optional<T> withRealm(KeycloakSession session, RealmModel realm,
                                             java.util.function.Function<OrganizationProvider, Optional<T>> call) {
        OrganizationProvider provider;
        try {
            provider = session.getProvider(OrganizationProvider.class);
        } catch (RuntimeException e) {
            return Optional.empty(); // the organization feature is off
        }
        if (provider == null) return Optional.empty();
        RealmModel before = session.getContext().getRealm();
        boolean swap = before == null || !before.getId().equals(realm.getId());
        if (swap) session.getContext().setRealm(realm);
        try {
            return call.apply(provider);
        } catch (org.keycloak.models.ModelException e) {
            return Optional.empty(); // an id of another realm
        } finally {
            if (swap) session.getContext().setRealm(before);
        }
    }
}

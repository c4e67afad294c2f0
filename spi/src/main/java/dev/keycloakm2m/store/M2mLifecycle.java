package dev.keycloakm2m.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelValidationException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderEvent;

import dev.keycloakm2m.api.ApiComponent;
import dev.keycloakm2m.api.ResourceServer;
import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.grant.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.grant.GrantComponent;
import dev.keycloakm2m.quota.ClientQuota;
import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.quota.QuotaComponent;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.settings.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsValidator;
import dev.keycloakm2m.settings.SettingsComponent;
import dev.keycloakm2m.validation.ValidationException;

/**
 * What keeps the stored data consistent whichever way it is written: the component hooks of our factories
 * (validation, revision bump, cascades) and the reactions to Keycloak model events (client removed or renamed,
 * realm imported or removed).
 */
public final class M2mLifecycle {

    private static final Logger LOG = Logger.getLogger(M2mLifecycle.class);

    private M2mLifecycle() {
    }

    /**
     * Marks a change: the token path's index for this realm is rebuilt on its next use, on every node; on this
     * node the realm and the index are loaded again right after the commit ({@link RealmWarmUp}).
     */
    public static void touch(KeycloakSession session, RealmModel realm) {
        realm.setAttribute(Components.REVISION_ATTRIBUTE, KeycloakModelUtils.generateId());
        RealmWarmUp.afterCommit(session, realm);
    }

    /** How a refused write surfaces: 400 from the component endpoint, or a failed realm import. */
    public static RuntimeException refused(SessionRealmView view, ValidationException e) {
        if (view.lenientReferences()) {
            return new ModelValidationException("keycloak-m2m: " + e.getMessage());
        }
        return new M2mComponentValidationException(e);
    }

    // ---- APIs

    public static void validateApi(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ResourceServer previous = model.getId() == null ? null : view.apiById(model.getId()).orElse(null);
        try {
            ResourceServer api = ResourceServerValidator.validate(ApiComponent.draft(model), previous, view);
            ApiComponent.write(api, model);
            view.putApi(api, previous);
        } catch (ValidationException e) {
            throw refused(view, e);
        }
    }

    public static void apiCreated(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ResourceServer api = ApiComponent.read(model);
        if (api != null) view.putApi(api, view.apiByIdentifier(api.identifier()).orElse(null));
        touch(session, realm);
    }

    public static void apiUpdated(KeycloakSession session, RealmModel realm, ComponentModel newModel) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ResourceServer api = ApiComponent.read(newModel);
        touch(session, realm);
        if (api == null) return;
        // scopes removed from the API are removed from its grants: no token carries them any more
        for (ClientGrant grant : List.copyOf(view.grants())) {
            if (!grant.audience().equals(api.identifier())) continue;
            List<String> kept = grant.scope().stream().filter(api::hasScope).toList();
            if (kept.size() == grant.scope().size()) continue;
            ComponentModel c = realm.getComponent(grant.id());
            if (c == null) continue;
            GrantComponent.write(new ClientGrant(grant.id(), grant.clientId(), grant.audience(), kept, grant.allowAllScopes()), c);
            realm.updateComponent(c);
            LOG.infof("Realm %s: client grant %s (client %s) lost scopes removed from API %s", realm.getName(),
                    grant.id(), grant.clientId(), api.identifier());
        }
    }

    public static void apiRemoving(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ResourceServer api = view.apiById(model.getId()).orElseGet(() -> ApiComponent.read(model));
        touch(session, realm);
        if (api == null) return;
        for (ClientGrant grant : List.copyOf(view.grants())) {
            if (grant.audience().equals(api.identifier())) removeComponent(realm, grant.id());
        }
        M2mSettings settings = view.settings();
        if (api.identifier().equals(settings.defaultAudience()) && view.settingsId() != null) {
            ComponentModel c = realm.getComponent(view.settingsId());
            if (c != null) {
                SettingsComponent.write(settings.withoutDefaultAudience(), c);
                realm.updateComponent(c);
                LOG.infof("Realm %s: default audience cleared, its API %s was deleted", realm.getName(), api.identifier());
            }
        }
        view.removeApi(api);
    }

    // ---- client grants

    public static void validateGrant(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ClientGrant previous = model.getId() == null ? null : view.grantById(model.getId()).orElse(null);
        ClientRename rename = session.getAttribute(ClientRename.ATTRIBUTE, ClientRename.class);
        if (previous != null && rename != null && previous.clientId().equals(rename.previous())) {
            previous = new ClientGrant(previous.id(), rename.current(), previous.audience(), previous.scope(), previous.allowAllScopes());
        }
        try {
            ClientGrant grant = ClientGrantValidator.validate(GrantComponent.draft(model), previous, view);
            GrantComponent.write(grant, model);
            view.putGrant(grant, model.getId() == null ? null : view.grantById(model.getId()).orElse(null));
        } catch (ValidationException e) {
            throw refused(view, e);
        }
    }

    public static void grantCreated(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ClientGrant grant = GrantComponent.read(model);
        if (grant != null) view.putGrant(grant, view.grant(grant.clientId(), grant.audience()).orElse(null));
        touch(session, realm);
    }

    public static void grantChanged(KeycloakSession session, RealmModel realm) {
        touch(session, realm);
    }

    public static void grantRemoving(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        view.grantById(model.getId()).ifPresent(view::removeGrant);
        touch(session, realm);
    }

    // ---- token quotas

    public static void validateQuota(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ClientQuota previous = model.getId() == null ? null : view.quotaById(model.getId()).orElse(null);
        ClientRename rename = session.getAttribute(ClientRename.ATTRIBUTE, ClientRename.class);
        if (previous != null && rename != null && previous.clientId().equals(rename.previous())) {
            previous = new ClientQuota(previous.id(), rename.current(), previous.quota());
        }
        try {
            ClientQuota quota = TokenQuotaValidator.validate(QuotaComponent.draft(model), previous, view);
            QuotaComponent.write(quota, model);
            view.putQuota(quota, model.getId() == null ? null : view.quotaById(model.getId()).orElse(null));
        } catch (ValidationException e) {
            throw refused(view, e);
        }
    }

    public static void quotaChanged(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        ClientQuota quota = QuotaComponent.read(model);
        if (quota != null) view.putQuota(quota, view.quota(quota.clientId()).orElse(null));
        touch(session, realm);
    }

    public static void quotaRemoving(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        view.quotaById(model.getId()).ifPresent(view::removeQuota);
        touch(session, realm);
    }

    // ---- settings

    public static void validateSettings(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView view = SessionRealmView.of(session, realm);
        try {
            if (view.settingsId() != null && model.getId() != null && !view.settingsId().equals(model.getId())
                    || view.settingsId() != null && model.getId() == null && realm.getComponent(view.settingsId()) != null) {
                throw new ValidationException(dev.keycloakm2m.validation.Problem.conflict("settings",
                        "The realm already has M2M settings; update them instead of creating another"));
            }
            M2mSettings settings = M2mSettingsValidator.validate(SettingsComponent.draft(model), view);
            SettingsComponent.write(settings, model);
            view.putSettings(settings, model.getId());
        } catch (ValidationException e) {
            throw refused(view, e);
        }
    }

    public static void settingsChanged(KeycloakSession session, RealmModel realm, ComponentModel model) {
        SessionRealmView.of(session, realm).putSettings(SettingsComponent.read(model), model.getId());
        touch(session, realm);
    }

    public static void settingsRemoving(KeycloakSession session, RealmModel realm) {
        SessionRealmView.of(session, realm).putSettings(M2mSettings.DEFAULTS, null);
        touch(session, realm);
    }

    // ---- Keycloak model events

    /** Registered once by {@link dev.keycloakm2m.api.ApiPageProviderFactory#postInit}. */
    public static void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmCreationEvent e) {
            SessionRealmView.markCreating(e.getKeycloakSession(), e.getCreatedRealm(), true);
        } else if (event instanceof RealmModel.RealmPostCreateEvent e) {
            realmCreated(e.getKeycloakSession(), e.getCreatedRealm());
        } else if (event instanceof RealmModel.RealmRemovedEvent e) {
            RealmIndexCache.forget(e.getRealm().getId());
            QuotaService.forgetRealm(e.getKeycloakSession(), e.getRealm().getId());
        } else if (event instanceof ClientModel.ClientRemovedEvent e) {
            clientRemoved(e.getKeycloakSession(), e.getClient());
        } else if (event instanceof ClientModel.ClientIdChangeEvent e) {
            clientRenamed(e.getKeycloakSession(), e.getUpdatedClient(), e.getPreviousClientId(), e.getNewClientId());
        }
    }

    /** After a realm import: everything imported leniently is now validated strictly. */
    static void realmCreated(KeycloakSession session, RealmModel realm) {
        SessionRealmView.markCreating(session, realm, false);
        // components imported without ids got them only when persisted: read back what was imported
        SessionRealmView view = SessionRealmView.reload(session, realm);
        RealmView strict = view.strict();
        List<String> failures = new ArrayList<>();
        check(failures, view.apis(), a -> "API " + a.identifier(),
                a -> ResourceServerValidator.validate(new dev.keycloakm2m.api.ResourceServerDraft(a.id(), a.name(), a.identifier(),
                        a.scopes(), String.valueOf(a.tokenLifetime()), a.signingAlg(), a.tokenDialect().wire(),
                        a.clientPolicy().wire()), a, strict));
        check(failures, view.grants(), g -> "client grant " + g.clientId() + " -> " + g.audience(),
                g -> ClientGrantValidator.validate(new dev.keycloakm2m.grant.ClientGrantDraft(g.id(), g.clientId(),
                        g.audience(), g.scope(), String.valueOf(g.allowAllScopes())), g, strict));
        check(failures, view.quotas(), q -> "token quota of client " + q.clientId(),
                q -> TokenQuotaValidator.validate(new ClientQuotaDraft(q.id(), q.clientId(), str(q.quota().perHour()),
                        str(q.quota().perDay()), String.valueOf(q.quota().enforce())), q, strict));
        check(failures, List.of(view.settings()), s -> "M2M settings",
                s -> M2mSettingsValidator.validate(new dev.keycloakm2m.settings.M2mSettingsDraft(s.defaultAudience(),
                        s.errorStyle().wire(), s.defaultQuota() == null ? null : str(s.defaultQuota().perHour()),
                        s.defaultQuota() == null ? null : str(s.defaultQuota().perDay()),
                        s.defaultQuota() == null ? null : String.valueOf(s.defaultQuota().enforce())), strict));
        if (!failures.isEmpty()) {
            throw new ModelValidationException("keycloak-m2m: realm " + realm.getName() + " cannot be imported: "
                    + String.join("; ", failures));
        }
        if (!view.apis().isEmpty() || !view.grants().isEmpty() || !view.quotas().isEmpty() || view.settingsId() != null) {
            touch(session, realm);
        }
    }

    private static String str(Integer i) {
        return i == null ? null : String.valueOf(i);
    }

    private static <T> void check(List<String> failures, Iterable<T> items, Function<T, String> label, java.util.function.Consumer<T> validate) {
        for (T item : items) {
            try {
                validate.accept(item);
            } catch (ValidationException e) {
                failures.add(label.apply(item) + ": " + e.getMessage());
            }
        }
    }

    static void clientRemoved(KeycloakSession session, ClientModel client) {
        RealmModel realm = client.getRealm();
        SessionRealmView view = SessionRealmView.of(session, realm);
        List<ClientGrant> grants = view.grants().stream().filter(g -> g.clientId().equals(client.getClientId())).toList();
        for (ClientGrant g : grants) {
            removeComponent(realm, g.id());
        }
        if (!grants.isEmpty()) {
            LOG.infof("Realm %s: removed %d client grant(s) of deleted client %s", realm.getName(), grants.size(), client.getClientId());
        }
        view.quota(client.getClientId()).ifPresent(q -> removeComponent(realm, q.id()));
        QuotaService.forget(session, client);
    }

    static void clientRenamed(KeycloakSession session, ClientModel client, String previous, String current) {
        RealmModel realm = client.getRealm();
        SessionRealmView view = SessionRealmView.of(session, realm);
        List<ClientGrant> grants = view.grants().stream().filter(g -> g.clientId().equals(previous)).toList();
        ClientQuota quota = view.quota(previous).orElse(null);
        if (grants.isEmpty() && quota == null) return;
        session.setAttribute(ClientRename.ATTRIBUTE, new ClientRename(previous, current));
        try {
            for (ClientGrant g : grants) {
                ComponentModel c = realm.getComponent(g.id());
                if (c == null) continue;
                GrantComponent.write(new ClientGrant(g.id(), current, g.audience(), g.scope(), g.allowAllScopes()), c);
                realm.updateComponent(c);
            }
            ComponentModel c = quota == null ? null : realm.getComponent(quota.id());
            if (c != null) {
                QuotaComponent.write(new ClientQuota(quota.id(), current, quota.quota()), c);
                realm.updateComponent(c);
            }
        } finally {
            session.removeAttribute(ClientRename.ATTRIBUTE);
        }
        LOG.infof("Realm %s: client %s renamed to %s, %d client grant(s) follow", realm.getName(), previous, current, grants.size());
    }

    private static void removeComponent(RealmModel realm, String id) {
        ComponentModel c = realm.getComponent(id);
        if (c != null) realm.removeComponent(c);
    }

    /** A client id change in progress: grants may follow the client to its new id. */
    record ClientRename(String previous, String current) {
        static final String ATTRIBUTE = "m2m.client-rename";
    }
}

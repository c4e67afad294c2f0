package dev.keycloakm2m.legacy;

import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.store.ClientGrant;

import java.util.Set;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;


/** A client grant stored as a realm component (provider {@value Components#GRANT_PROVIDER_ID}). */
public final class GrantComponent {

    public static final String CLIENT_ID = "client_id";
    public static final String AUDIENCE = "audience";
    public static final String SCOPE = "scope";
    public static final String ALLOW_ALL_SCOPES = "allow_all_scopes";
    /**
     * Derived, for the console list (which shows only the first value of a multi-valued key): the granted scope
     * values space-separated, as in an OAuth scope parameter. Written on every write; never read.
     */
    public static final String SCOPE_LIST = "scope_list";
    public static final String ORGANIZATION_USAGE = "organization_usage";
    public static final String ALLOW_ANY_ORGANIZATION = "allow_any_organization";
    /** Ids of the organizations associated with the grant (on import also aliases). */
    public static final String ORGANIZATIONS = "organizations";

    static final Set<String> KEYS = Set.of(CLIENT_ID, AUDIENCE, SCOPE, ALLOW_ALL_SCOPES, SCOPE_LIST, ORGANIZATION_USAGE,
            ALLOW_ANY_ORGANIZATION, ORGANIZATIONS);

    private GrantComponent() {
    }

    public static boolean is(ComponentModel model) {
        return Components.PAGE_TYPE.equals(model.getProviderType()) && Components.GRANT_PROVIDER_ID.equals(model.getProviderId());
    }

    public static ClientGrantDraft draft(ComponentModel model) {
        return new ClientGrantDraft(model.getId(), Components.first(model, CLIENT_ID), Components.first(model, AUDIENCE),
                Components.all(model, SCOPE), Components.first(model, ALLOW_ALL_SCOPES),
                Components.first(model, ORGANIZATION_USAGE), Components.first(model, ALLOW_ANY_ORGANIZATION));
    }

    /** The organizations (ids or aliases) the component associates with the grant. */
    public static java.util.List<String> organizations(ComponentModel model) {
        return Components.all(model, ORGANIZATIONS);
    }

    /** Writes the grant and the ids of the organizations associated with it. */
    public static void write(ClientGrant grant, java.util.Collection<String> organizationIds, ComponentModel model) {
        write(grant, model);
        Components.put(model, ORGANIZATION_USAGE, grant.organizationUsage() == dev.keycloakm2m.store.OrganizationUsage.DENY
                ? null : grant.organizationUsage().wire());
        Components.put(model, ALLOW_ANY_ORGANIZATION, grant.allowAnyOrganization() ? "true" : null);
        model.getConfig().remove(ORGANIZATIONS);
        if (!organizationIds.isEmpty()) model.getConfig().put(ORGANIZATIONS, new java.util.ArrayList<>(new java.util.TreeSet<>(organizationIds)));
    }

    public static void write(ClientGrant grant, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(grant.clientId()));
        Components.put(model, CLIENT_ID, grant.clientId());
        Components.put(model, AUDIENCE, grant.audience());
        model.getConfig().remove(SCOPE);
        if (!grant.scope().isEmpty()) model.getConfig().put(SCOPE, new java.util.ArrayList<>(grant.scope()));
        Components.put(model, SCOPE_LIST, grant.scope().isEmpty() ? null : String.join(" ", grant.scope()));
        Components.put(model, ALLOW_ALL_SCOPES, String.valueOf(grant.allowAllScopes()));
    }

    /** Writes a draft as received (before validation) into the component; the component write validates it. */
    public static void writeDraft(ClientGrantDraft draft, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(draft.clientId()));
        Components.put(model, CLIENT_ID, draft.clientId());
        Components.put(model, AUDIENCE, draft.audience());
        model.getConfig().remove(SCOPE);
        if (draft.scope() != null && !draft.scope().isEmpty()) model.getConfig().put(SCOPE, new java.util.ArrayList<>(draft.scope()));
        Components.put(model, ALLOW_ALL_SCOPES, draft.allowAllScopes());
    }

    public static ComponentModel newModel(String realmId) {
        ComponentModel model = new ComponentModel();
        model.setParentId(realmId);
        model.setProviderType(Components.PAGE_TYPE);
        model.setProviderId(Components.GRANT_PROVIDER_ID);
        model.setConfig(new MultivaluedHashMap<>());
        return model;
    }

    public static ClientGrant read(ComponentModel model) {
        String clientId = Components.first(model, CLIENT_ID);
        String audience = Components.first(model, AUDIENCE);
        if (clientId == null || audience == null) return null;
        return new ClientGrant(model.getId(), clientId, audience, Components.all(model, SCOPE),
                Boolean.parseBoolean(Components.first(model, ALLOW_ALL_SCOPES)));
    }
}

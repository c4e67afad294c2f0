package dev.keycloakm2m.admin;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantDraft;

/** A client grant in the shape of Auth0's Management API client grant; {@code client_id} is the Keycloak clientId. */
final class ClientGrantJson {

    static final String ID = "id";
    static final String CLIENT_ID = "client_id";
    static final String AUDIENCE = "audience";
    static final String SCOPE = "scope";
    static final String ALLOW_ALL_SCOPES = "allow_all_scopes";
    static final String ORGANIZATION_USAGE = "organization_usage";
    static final String ALLOW_ANY_ORGANIZATION = "allow_any_organization";

    static final Set<String> FIELDS = Set.of(ID, CLIENT_ID, AUDIENCE, SCOPE, ALLOW_ALL_SCOPES, ORGANIZATION_USAGE, ALLOW_ANY_ORGANIZATION);

    private ClientGrantJson() {
    }

    static ObjectNode toJson(ClientGrant grant) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(ID, grant.id());
        o.put(CLIENT_ID, grant.clientId());
        o.put(AUDIENCE, grant.audience());
        ArrayNode scope = o.putArray(SCOPE);
        grant.scope().forEach(scope::add);
        o.put(ALLOW_ALL_SCOPES, grant.allowAllScopes());
        o.put(ORGANIZATION_USAGE, grant.organizationUsage().wire());
        o.put(ALLOW_ANY_ORGANIZATION, grant.allowAnyOrganization());
        return o;
    }

    static ClientGrantDraft forCreate(ObjectNode body) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID)) {
            throw AdminRequestException.badRequest(ID, "id is assigned by the server and cannot be set");
        }
        return new ClientGrantDraft(null, o.text(CLIENT_ID), o.text(AUDIENCE), orEmpty(o.texts(SCOPE)), o.bool(ALLOW_ALL_SCOPES),
                o.text(ORGANIZATION_USAGE), o.bool(ALLOW_ANY_ORGANIZATION));
    }

    /**
     * The stored grant with {@code scope} / {@code allow_all_scopes} / {@code organization_usage} /
     * {@code allow_any_organization} replaced ({@code null} resets them). A
     * {@code client_id} or {@code audience} in the body is kept in the draft so that the validator refuses a change.
     */
    static ClientGrantDraft forPatch(ObjectNode body, ClientGrant stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID) && !Objects.equals(o.text(ID), stored.id())) {
            throw AdminRequestException.badRequest(ID, "id cannot be changed");
        }
        return new ClientGrantDraft(stored.id(),
                o.has(CLIENT_ID) ? o.text(CLIENT_ID) : stored.clientId(),
                o.has(AUDIENCE) ? o.text(AUDIENCE) : stored.audience(),
                o.has(SCOPE) ? orEmpty(o.texts(SCOPE)) : stored.scope(),
                o.has(ALLOW_ALL_SCOPES) ? o.bool(ALLOW_ALL_SCOPES) : String.valueOf(stored.allowAllScopes()),
                o.has(ORGANIZATION_USAGE) ? o.text(ORGANIZATION_USAGE) : stored.organizationUsage().wire(),
                o.has(ALLOW_ANY_ORGANIZATION) ? o.bool(ALLOW_ANY_ORGANIZATION) : String.valueOf(stored.allowAnyOrganization()));
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}

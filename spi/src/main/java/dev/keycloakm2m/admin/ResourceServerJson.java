package dev.keycloakm2m.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.api.ResourceServerDraft;

/** An API in the shape of Auth0's Management API resource server, both ways. */
final class ResourceServerJson {

    static final String ID = "id";
    static final String NAME = "name";
    static final String IDENTIFIER = "identifier";
    static final String SCOPES = "scopes";
    static final String SIGNING_ALG = "signing_alg";
    static final String TOKEN_LIFETIME = "token_lifetime";
    static final String TOKEN_DIALECT = "token_dialect";
    static final String SUBJECT_TYPE_AUTHORIZATION = "subject_type_authorization";
    static final String CLIENT = "client";
    static final String POLICY = "policy";
    static final String VALUE = "value";
    static final String DESCRIPTION = "description";

    static final Set<String> FIELDS = Set.of(ID, NAME, IDENTIFIER, SCOPES, SIGNING_ALG, TOKEN_LIFETIME, TOKEN_DIALECT,
            SUBJECT_TYPE_AUTHORIZATION);
    private static final Set<String> SCOPE_FIELDS = Set.of(VALUE, DESCRIPTION);
    private static final Set<String> AUTHORIZATION_FIELDS = Set.of(CLIENT);
    private static final Set<String> CLIENT_FIELDS = Set.of(POLICY);

    private ResourceServerJson() {
    }

    static ObjectNode toJson(ResourceServer api) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(ID, api.id());
        o.put(NAME, api.name());
        o.put(IDENTIFIER, api.identifier());
        ArrayNode scopes = o.putArray(SCOPES);
        for (ApiScope s : api.scopes()) {
            scopes.addObject().put(VALUE, s.value()).put(DESCRIPTION, s.description());
        }
        o.put(SIGNING_ALG, api.signingAlg());
        o.put(TOKEN_LIFETIME, api.tokenLifetime());
        o.put(TOKEN_DIALECT, api.tokenDialect().wire());
        o.putObject(SUBJECT_TYPE_AUTHORIZATION).putObject(CLIENT).put(POLICY, api.clientPolicy().wire());
        return o;
    }

    /** The draft of a POST: absent fields are "not given" (the validator applies defaults). */
    static ResourceServerDraft forCreate(ObjectNode body) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID)) {
            throw AdminRequestException.badRequest(ID, "id is assigned by the server and cannot be set");
        }
        JsonFields authorization = o.object(SUBJECT_TYPE_AUTHORIZATION, AUTHORIZATION_FIELDS);
        JsonFields client = authorization == null ? null : authorization.object(CLIENT, CLIENT_FIELDS);
        return new ResourceServerDraft(null, o.text(NAME), o.text(IDENTIFIER), scopes(o), o.integer(TOKEN_LIFETIME),
                o.text(SIGNING_ALG), o.text(TOKEN_DIALECT), client == null ? null : client.text(POLICY));
    }

    /**
     * The draft of a PATCH: the stored API with the fields the body names replaced (JSON merge patch: {@code null}
     * resets a field to its default). The validator refuses an identifier change.
     */
    static ResourceServerDraft forPatch(ObjectNode body, ResourceServer stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID) && !Objects.equals(o.text(ID), stored.id())) {
            throw AdminRequestException.badRequest(ID, "id cannot be changed");
        }
        String policy = stored.clientPolicy().wire();
        if (o.has(SUBJECT_TYPE_AUTHORIZATION)) {
            JsonFields authorization = o.object(SUBJECT_TYPE_AUTHORIZATION, AUTHORIZATION_FIELDS);
            if (authorization == null) {
                policy = null;
            } else if (authorization.has(CLIENT)) {
                JsonFields client = authorization.object(CLIENT, CLIENT_FIELDS);
                policy = client == null ? null : client.has(POLICY) ? client.text(POLICY) : policy;
            }
        }
        return new ResourceServerDraft(stored.id(),
                o.has(NAME) ? o.text(NAME) : stored.name(),
                o.has(IDENTIFIER) ? o.text(IDENTIFIER) : stored.identifier(),
                o.has(SCOPES) ? scopes(o) : stored.scopes(),
                o.has(TOKEN_LIFETIME) ? o.integer(TOKEN_LIFETIME) : String.valueOf(stored.tokenLifetime()),
                o.has(SIGNING_ALG) ? o.text(SIGNING_ALG) : stored.signingAlg(),
                o.has(TOKEN_DIALECT) ? o.text(TOKEN_DIALECT) : stored.tokenDialect().wire(),
                policy);
    }

    private static List<ApiScope> scopes(JsonFields o) {
        List<JsonFields> entries = o.objects(SCOPES, SCOPE_FIELDS);
        if (entries == null) return null;
        List<ApiScope> scopes = new ArrayList<>();
        for (JsonFields e : entries) {
            String value = e.text(VALUE);
            if (value == null) {
                throw AdminRequestException.badRequest(e.name(VALUE), e.name(VALUE) + " must be a string");
            }
            scopes.add(new ApiScope(value, e.text(DESCRIPTION)));
        }
        return scopes;
    }
}

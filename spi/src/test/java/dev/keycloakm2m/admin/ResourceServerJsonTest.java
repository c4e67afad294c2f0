package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.Refusals.json;
import static dev.keycloakm2m.admin.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.store.TokenDialect;

class ResourceServerJsonTest {

    private static final ResourceServer STORED = new ResourceServer("id-1", "Orders", "https://api.example.com/orders",
            List.of(new ApiScope("read:orders", "Read orders")), 3600, "RS256", TokenDialect.RFC9068_PROFILE, ClientPolicy.DENY_ALL);

    @Test
    @DisplayName("the Auth0 shape: scopes as value/description, the client policy under subject_type_authorization")
    void toJson() {
        assertThat(ResourceServerJson.toJson(STORED).toString()).isEqualTo("{\"id\":\"id-1\",\"name\":\"Orders\","
                + "\"identifier\":\"https://api.example.com/orders\",\"scopes\":[{\"value\":\"read:orders\",\"description\":\"Read orders\"}],"
                + "\"signing_alg\":\"RS256\",\"token_lifetime\":3600,\"token_dialect\":\"rfc9068_profile\","
                + "\"subject_type_authorization\":{\"client\":{\"policy\":\"deny_all\"}}}");
    }

    @Test
    @DisplayName("POST: every field into the draft, absent ones as not given")
    void create() {
        ResourceServerDraft d = ResourceServerJson.forCreate(json("{\"name\":\"A\",\"identifier\":\"urn:a\","
                + "\"scopes\":[{\"value\":\"r\"},{\"value\":\"w\",\"description\":\"Write\"}],\"token_lifetime\":600,"
                + "\"subject_type_authorization\":{\"client\":{\"policy\":\"deny_all\"}}}"));
        assertThat(d).isEqualTo(new ResourceServerDraft(null, "A", "urn:a", List.of(new ApiScope("r", ""), new ApiScope("w", "Write")),
                "600", null, null, "deny_all"));
        assertThat(ResourceServerJson.forCreate(json("{}")).scopes()).isNull();
    }

    @Test
    @DisplayName("unknown fields and wrong types are 400 naming the field, nested ones by their path")
    void shapeErrors() {
        AdminRequestException e = refused(() -> ResourceServerJson.forCreate(json("{\"allow_offline_access\":true}")));
        assertThat(e.field()).isEqualTo("allow_offline_access");
        assertThat(e.getMessage()).startsWith("Unknown field: allow_offline_access (allowed: ");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"token_lifetime\":\"3600\"}"))).getMessage())
                .isEqualTo("token_lifetime must be an integer");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"token_lifetime\":36.5}"))).field()).isEqualTo("token_lifetime");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"name\":7}"))).getMessage()).isEqualTo("name must be a string");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"scopes\":[{\"value\":\"r\",\"x\":1}]}"))).field())
                .isEqualTo("scopes[0].x");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"scopes\":[{\"description\":\"d\"}]}"))).getMessage())
                .isEqualTo("scopes[0].value must be a string");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"scopes\":\"r w\"}"))).getMessage())
                .isEqualTo("scopes must be an array of objects");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"subject_type_authorization\":{\"user\":{}}}"))).field())
                .isEqualTo("subject_type_authorization.user");
        assertThat(refused(() -> ResourceServerJson.forCreate(json("{\"id\":\"mine\"}"))).field()).isEqualTo("id");
    }

    @Test
    @DisplayName("PATCH: the stored API with the named fields replaced; null resets to the default")
    void patch() {
        ResourceServerDraft d = ResourceServerJson.forPatch(json("{\"name\":\"New\",\"token_lifetime\":null}"), STORED);
        assertThat(d).isEqualTo(new ResourceServerDraft("id-1", "New", STORED.identifier(), STORED.scopes(), null, "RS256",
                "rfc9068_profile", "deny_all"));
        assertThat(ResourceServerJson.forPatch(json("{\"subject_type_authorization\":{}}"), STORED).clientPolicy()).isEqualTo("deny_all");
        assertThat(ResourceServerJson.forPatch(json("{\"subject_type_authorization\":{\"client\":null}}"), STORED).clientPolicy()).isNull();
        assertThat(ResourceServerJson.forPatch(json("{\"subject_type_authorization\":{\"client\":{\"policy\":\"require_client_grant\"}}}"),
                STORED).clientPolicy()).isEqualTo("require_client_grant");
        assertThat(ResourceServerJson.forPatch(json("{\"identifier\":\"urn:other\"}"), STORED).identifier()).isEqualTo("urn:other");
        assertThat(ResourceServerJson.forPatch(json("{\"id\":\"id-1\"}"), STORED).id()).isEqualTo("id-1");
        assertThat(refused(() -> ResourceServerJson.forPatch(json("{\"id\":\"id-2\"}"), STORED)).getMessage()).isEqualTo("id cannot be changed");
    }
}

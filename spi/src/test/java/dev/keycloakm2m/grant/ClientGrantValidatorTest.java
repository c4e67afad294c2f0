package dev.keycloakm2m.grant;

import dev.keycloakm2m.store.ClientGrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.FakeRealm;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenDialect;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

class ClientGrantValidatorTest {

    private static final String ORDERS = "https://api.example.com/orders";
    private final FakeRealm realm = new FakeRealm();

    @BeforeEach
    void setUp() {
        realm.api(new ResourceServer("api-1", "Orders", ORDERS, List.of(new ApiScope("read:orders", ""), new ApiScope("write:orders", "")),
                86400, "RS256", TokenDialect.ACCESS_TOKEN, ClientPolicy.REQUIRE_CLIENT_GRANT));
        realm.client("svc", false, true).client("web", true, false).client("no-sa", false, false);
    }

    private ValidationException refused(ClientGrantDraft d) {
        try {
            ClientGrantValidator.validate(d, null, realm);
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    @DisplayName("a valid grant: scopes deduplicated and in the API's order")
    void valid() {
        ClientGrant g = ClientGrantValidator.validate(new ClientGrantDraft(null, "svc", ORDERS, List.of("write:orders", "read:orders", "write:orders"), null), null, realm);
        assertThat(g.scope()).containsExactly("read:orders", "write:orders");
        assertThat(g.allowAllScopes()).isFalse();
    }

    @Test
    @DisplayName("organization_usage: deny (default), allow or require, anything else 400; allow_any_organization true or false")
    void organizations() {
        ClientGrant g = ClientGrantValidator.validate(new ClientGrantDraft(null, "svc", ORDERS, List.of(), null), null, realm);
        assertThat(g.organizationUsage()).isEqualTo(dev.keycloakm2m.store.OrganizationUsage.DENY);
        assertThat(g.allowAnyOrganization()).isFalse();
        g = ClientGrantValidator.validate(new ClientGrantDraft(null, "svc", ORDERS, List.of(), null, "require", "true"), null, realm);
        assertThat(g.organizationUsage()).isEqualTo(dev.keycloakm2m.store.OrganizationUsage.REQUIRE);
        assertThat(g.allowAnyOrganization()).isTrue();
        assertThat(ClientGrantValidator.validate(new ClientGrantDraft(null, "svc", ORDERS, List.of(), null, "allow", null), null, realm)
                .organizationUsage()).isEqualTo(dev.keycloakm2m.store.OrganizationUsage.ALLOW);
        for (String bad : List.of("Allow", "optional", "none", "required")) {
            ValidationException e = refused(new ClientGrantDraft(null, "svc", ORDERS, List.of(), null, bad, null));
            assertThat(e.primary().kind()).isEqualTo(Problem.Kind.INVALID);
            assertThat(e.primary().field()).isEqualTo("organization_usage");
            assertThat(e.primary().message()).isEqualTo("organization_usage must be one of: deny, allow, require");
        }
        assertThat(refused(new ClientGrantDraft(null, "svc", ORDERS, List.of(), null, null, "yes")).primary().message())
                .isEqualTo("allow_any_organization must be true or false");
    }

    @Test
    @DisplayName("unknown client and unknown API: 404 with Auth0's messages")
    void notFound() {
        ValidationException e = refused(new ClientGrantDraft(null, "ghost", ORDERS, List.of(), null));
        assertThat(e.primary().kind()).isEqualTo(Problem.Kind.NOT_FOUND);
        assertThat(e.primary().message()).isEqualTo("Client not found");
        e = refused(new ClientGrantDraft(null, "svc", "https://nope", List.of(), null));
        assertThat(e.primary().message()).isEqualTo("Resource server not found");
    }

    @Test
    @DisplayName("public clients and clients without service accounts are refused with 400 saying so")
    void clientKind() {
        assertThat(refused(new ClientGrantDraft(null, "web", ORDERS, List.of(), null)).getMessage()).contains("not a confidential client");
        assertThat(refused(new ClientGrantDraft(null, "no-sa", ORDERS, List.of(), null)).getMessage()).contains("service accounts");
    }

    @Test
    @DisplayName("scopes must be a subset of the API's; the offending ones are named")
    void subset() {
        ValidationException e = refused(new ClientGrantDraft(null, "svc", ORDERS, List.of("read:orders", "delete:orders", "admin"), null));
        assertThat(e.primary().kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(e.getMessage()).endsWith("does not define: delete:orders admin");
    }

    @Test
    @DisplayName("one grant per client and API: 409 with Auth0's message")
    void duplicate() {
        realm.grant(new ClientGrant("g-1", "svc", ORDERS, List.of(), false));
        ValidationException e = refused(new ClientGrantDraft(null, "svc", ORDERS, List.of(), "true"));
        assertThat(e.primary().kind()).isEqualTo(Problem.Kind.CONFLICT);
        assertThat(e.primary().message()).isEqualTo("A client grant already exists between svc and " + ORDERS);
    }

    @Test
    @DisplayName("client_id and audience cannot change on update")
    void immutable() {
        ClientGrant existing = new ClientGrant("g-1", "svc", ORDERS, List.of(), false);
        realm.grant(existing);
        realm.client("svc2", false, true);
        try {
            ClientGrantValidator.validate(new ClientGrantDraft("g-1", "svc2", ORDERS, List.of(), null), existing, realm);
            throw new AssertionError("accepted");
        } catch (ValidationException e) {
            assertThat(e.getMessage()).contains("client_id cannot be changed");
        }
        ClientGrant updated = ClientGrantValidator.validate(new ClientGrantDraft("g-1", "svc", ORDERS, List.of("read:orders"), "false"), existing, realm);
        assertThat(updated.id()).isEqualTo("g-1");
        assertThat(updated.scope()).containsExactly("read:orders");
    }

    @Test
    @DisplayName("allow_all_scopes gives every current and future scope of the API")
    void allowAll() {
        ClientGrant g = new ClientGrant("g", "svc", ORDERS, List.of(), true);
        assertThat(g.effectiveScopes(new java.util.LinkedHashSet<>(List.of("a", "b")))).containsExactly("a", "b");
        ClientGrant some = new ClientGrant("g", "svc", ORDERS, List.of("b", "gone"), false);
        assertThat(some.effectiveScopes(new java.util.LinkedHashSet<>(List.of("a", "b")))).containsExactly("b");
    }

    @Test
    @DisplayName("during realm import a grant may arrive before its API")
    void lenient() {
        realm.lenient = true;
        ClientGrant g = ClientGrantValidator.validate(new ClientGrantDraft(null, "svc", "https://later", List.of("x"), null), null, realm);
        assertThat(g.scope()).containsExactly("x");
    }
}

package dev.keycloakm2m.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.FakeRealm;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.store.TokenDialect;
import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.settings.M2mSettingsDraft;
import dev.keycloakm2m.settings.M2mSettingsValidator;

/** Every text field of every entity, through its one validation routine (REST, console and import all call it). */
class ControlCharactersTest {

    private static final String ORDERS = "https://api.example.com/orders";
    /** C0 incl. TAB/LF/CR, ESC, DEL, C1: all refused. */
    private static final List<Character> CONTROLS = List.of('\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f');

    private final FakeRealm realm = new FakeRealm();

    ControlCharactersTest() {
        realm.api(new ResourceServer("api-1", "Orders", ORDERS, List.of(new ApiScope("read", "")), 86400, "RS256",
                TokenDialect.ACCESS_TOKEN, ClientPolicy.REQUIRE_CLIENT_GRANT));
        realm.client("svc", false, true);
    }

    /** One field: a draft with {@code bad} in that field only, and the field name the refusal must name. */
    record Field<D>(String name, Function<String, D> draft, String good) {
    }

    private static ResourceServerDraft api(String id, String name, String identifier, String value, String description,
                                           String lifetime, String alg, String dialect, String policy) {
        return new ResourceServerDraft(id, name, identifier, List.of(new ApiScope(value, description)), lifetime, alg, dialect, policy);
    }

    private static void refused(String field, Runnable write, String value) {
        try {
            write.run();
        } catch (ValidationException e) {
            assertThat(e.problems()).as("%s %s", field, Text.quote(value)).hasSize(1);
            Problem p = e.primary();
            assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).isEqualTo(field + " must not contain control characters: " + Text.quote(value));
            assertThat(p.message()).doesNotContainPattern("\\p{Cc}");
            return;
        }
        throw new AssertionError(field + " accepted " + Text.quote(value));
    }

    @Test
    @DisplayName("API: id, name, identifier, scope values and descriptions, lifetime, alg, dialect, policy")
    void resourceServer() {
        List<Field<ResourceServerDraft>> fields = new ArrayList<>();
        fields.add(new Field<>("id", v -> api(v, "N", "urn:n", "r", "d", null, null, null, null), "id-1"));
        fields.add(new Field<>("name", v -> api(null, v, "urn:n", "r", "d", null, null, null, null), "N"));
        fields.add(new Field<>("identifier", v -> api(null, "N", v, "r", "d", null, null, null, null), "urn:n"));
        fields.add(new Field<>("scopes", v -> api(null, "N", "urn:n", v, "d", null, null, null, null), "r"));
        fields.add(new Field<>("scopes", v -> api(null, "N", "urn:n", "r", v, null, null, null, null), "Read it"));
        fields.add(new Field<>("token_lifetime", v -> api(null, "N", "urn:n", "r", "d", v, null, null, null), "600"));
        fields.add(new Field<>("signing_alg", v -> api(null, "N", "urn:n", "r", "d", null, v, null, null), "RS256"));
        fields.add(new Field<>("token_dialect", v -> api(null, "N", "urn:n", "r", "d", null, null, v, null), "access_token"));
        fields.add(new Field<>("client_policy", v -> api(null, "N", "urn:n", "r", "d", null, null, null, v), "deny_all"));
        for (Field<ResourceServerDraft> f : fields) {
            ResourceServerValidator.validate(f.draft().apply(f.good()), null, realm); // the field itself is fine
            for (char c : CONTROLS) {
                for (String bad : List.of(f.good() + c, c + f.good(), f.good() + c + c)) {
                    refused(f.name(), () -> ResourceServerValidator.validate(f.draft().apply(bad), null, realm), bad);
                }
            }
        }
    }

    @Test
    @DisplayName("client grant: id, client_id, audience, scope, allow_all_scopes; found before 404/409")
    void clientGrant() {
        List<Field<ClientGrantDraft>> fields = List.of(
                new Field<>("id", v -> new ClientGrantDraft(v, "svc", ORDERS, List.of("read"), null), "g-1"),
                new Field<>("client_id", v -> new ClientGrantDraft(null, v, ORDERS, List.of("read"), null), "svc"),
                new Field<>("audience", v -> new ClientGrantDraft(null, "svc", v, List.of("read"), null), ORDERS),
                new Field<>("scope", v -> new ClientGrantDraft(null, "svc", ORDERS, List.of("read", v), null), "read"),
                new Field<>("allow_all_scopes", v -> new ClientGrantDraft(null, "svc", ORDERS, List.of(), v), "true"));
        for (Field<ClientGrantDraft> f : fields) {
            ClientGrantValidator.validate(f.draft().apply(f.good()), null, realm);
            for (char c : CONTROLS) {
                String bad = f.good() + c;
                refused(f.name(), () -> ClientGrantValidator.validate(f.draft().apply(bad), null, realm), bad);
            }
        }
    }

    @Test
    @DisplayName("token quota: id, client_id, per_hour, per_day, enforce (\"5\\u0000\" is not 5)")
    void tokenQuota() {
        List<Field<ClientQuotaDraft>> fields = List.of(
                new Field<>("id", v -> new ClientQuotaDraft(v, "svc", "5", null, null), "q-1"),
                new Field<>("client_id", v -> new ClientQuotaDraft(null, v, "5", null, null), "svc"),
                new Field<>("per_hour", v -> new ClientQuotaDraft(null, "svc", v, null, null), "5"),
                new Field<>("per_day", v -> new ClientQuotaDraft(null, "svc", null, v, null), "5"),
                new Field<>("enforce", v -> new ClientQuotaDraft(null, "svc", "5", null, v), "false"));
        for (Field<ClientQuotaDraft> f : fields) {
            TokenQuotaValidator.validate(f.draft().apply(f.good()), null, realm);
            for (char c : CONTROLS) {
                String bad = f.good() + c;
                refused(f.name(), () -> TokenQuotaValidator.validate(f.draft().apply(bad), null, realm), bad);
            }
        }
    }

    @Test
    @DisplayName("settings: default_audience, error_style (\"rfc\\u0000\" is not rfc), default quota fields")
    void settings() {
        List<Field<M2mSettingsDraft>> fields = List.of(
                new Field<>("default_audience", v -> new M2mSettingsDraft(v, null, null, null, null), ORDERS),
                new Field<>("error_style", v -> new M2mSettingsDraft(null, v, null, null, null), "rfc"),
                new Field<>("default_per_hour", v -> new M2mSettingsDraft(null, null, v, null, null), "5"),
                new Field<>("default_per_day", v -> new M2mSettingsDraft(null, null, null, v, null), "5"),
                new Field<>("default_enforce", v -> new M2mSettingsDraft(null, null, "5", null, v), "true"));
        for (Field<M2mSettingsDraft> f : fields) {
            M2mSettingsValidator.validate(f.draft().apply(f.good()), realm);
            for (char c : CONTROLS) {
                String bad = f.good() + c;
                refused(f.name(), () -> M2mSettingsValidator.validate(f.draft().apply(bad), realm), bad);
            }
        }
    }

    @Test
    @DisplayName("what counts: Unicode Cc (C0, DEL, C1); space, no-break space, line separator and emoji do not")
    void whatCounts() {
        for (int c = 0; c <= 0x1f; c++) assertThat(Text.hasControl("a" + (char) c)).as("U+%04X", c).isTrue();
        for (int c = 0x7f; c <= 0x9f; c++) assertThat(Text.hasControl("a" + (char) c)).as("U+%04X", c).isTrue();
        for (String ok : List.of("a b", "a\u00a0b", "a\u2028b", "\ud83d\udce6", "caf\u00e9", "", "~")) {
            assertThat(Text.hasControl(ok)).as(ok).isFalse();
        }
        assertThat(Text.hasControl(null)).isFalse();
    }
}

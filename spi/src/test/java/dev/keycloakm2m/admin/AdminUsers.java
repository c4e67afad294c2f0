package dev.keycloakm2m.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.TestRealm;

/** Users of a test realm with chosen realm-management roles, logged in through the realm's admin-cli like kcadm. */
final class AdminUsers {

    static final String PASSWORD = "Passw0rd!";

    private AdminUsers() {
    }

    /** A user of {@code realm} with the given realm-management client roles (none: a user without admin rights). */
    static AdminClient create(TestRealm realm, String username, String... realmManagementRoles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@example.com");
        user.put("emailVerified", true);
        user.put("firstName", "Test");
        user.put("lastName", username);
        user.put("credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        HttpResult created = realm.post("/users", user);
        if (created.status() != 201) throw new IllegalStateException("user " + username + ": " + created);
        String userId = created.createdId();
        if (realmManagementRoles.length > 0) {
            String rm = realm.get("/clients?clientId=realm-management").json().get(0).get("id").asText();
            List<JsonNode> roles = new ArrayList<>();
            for (String role : realmManagementRoles) {
                HttpResult r = realm.get("/clients/" + rm + "/roles/" + role);
                if (r.status() != 200) throw new IllegalStateException("role " + role + ": " + r);
                roles.add(r.json());
            }
            HttpResult mapped = realm.post("/users/" + userId + "/role-mappings/clients/" + rm, roles);
            if (mapped.status() != 204) throw new IllegalStateException("role mapping for " + username + ": " + mapped);
        }
        return new AdminClient(realm.admin().baseUrl(), realm.name(), username, PASSWORD);
    }
}

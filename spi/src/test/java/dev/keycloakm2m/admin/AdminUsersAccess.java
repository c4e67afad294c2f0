package dev.keycloakm2m.admin;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.TestRealm;

/** {@link AdminUsers} for test classes of other packages. */
public final class AdminUsersAccess {

    private AdminUsersAccess() {
    }

    public static AdminClient create(TestRealm realm, String username, String... realmManagementRoles) {
        return AdminUsers.create(realm, username, realmManagementRoles);
    }
}

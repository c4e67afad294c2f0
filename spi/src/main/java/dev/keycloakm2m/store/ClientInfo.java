package dev.keycloakm2m.store;

/** What the validators need to know about a Keycloak client; {@code id} is its internal id (CLIENT.ID). */
public record ClientInfo(String clientId, boolean publicClient, boolean bearerOnly, boolean serviceAccountsEnabled, String id) {

    public ClientInfo(String clientId, boolean publicClient, boolean bearerOnly, boolean serviceAccountsEnabled) {
        this(clientId, publicClient, bearerOnly, serviceAccountsEnabled, null);
    }

    public boolean confidential() {
        return !publicClient && !bearerOnly;
    }
}

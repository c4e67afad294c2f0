package dev.keycloakm2m.store;

/** What the validators need to know about a Keycloak client. */
public record ClientInfo(String clientId, boolean publicClient, boolean bearerOnly, boolean serviceAccountsEnabled) {

    public boolean confidential() {
        return !publicClient && !bearerOnly;
    }
}

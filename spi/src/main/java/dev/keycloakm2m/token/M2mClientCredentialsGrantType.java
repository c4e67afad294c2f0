package dev.keycloakm2m.token;

import jakarta.ws.rs.core.Response;

import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;

/**
 * The {@code client_credentials} grant with API audiences. Requests that name no API behave exactly like
 * Keycloak's built-in grant.
 */
final class M2mClientCredentialsGrantType extends ClientCredentialsGrantType {

    @Override
    public Response process(Context context) {
        return super.process(context);
    }
}

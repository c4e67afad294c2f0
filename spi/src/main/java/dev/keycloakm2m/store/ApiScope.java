package dev.keycloakm2m.store;

/** One permission an API defines, e.g. {@code read:orders}. */
public record ApiScope(String value, String description) {

    public ApiScope {
        description = description == null ? "" : description;
    }
}

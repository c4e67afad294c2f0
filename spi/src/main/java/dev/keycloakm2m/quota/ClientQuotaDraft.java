package dev.keycloakm2m.quota;

/** A client quota as a write path received it ({@code null} = not given). */
public record ClientQuotaDraft(String id, String clientId, String perHour, String perDay, String enforce) {
}

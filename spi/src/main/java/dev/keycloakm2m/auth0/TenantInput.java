package dev.keycloakm2m.auth0;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Auth0 tenant as read from a file, before mapping: the resource servers, clients and client grants with where each
 * was found, the tenant settings, and what the file holds that we do not import at all (other asset types).
 */
final class TenantInput {

    /** One object of the input: its file, its path inside the file ({@code ""}: the whole file), the object. */
    record Entry(String file, String path, ObjectNode node) {

        String field(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }
    }

    /** An Auth0 field or asset type that is not imported, and where it was found. */
    record Unsupported(String file, String entity, String field, String note) {
    }

    final List<Entry> resourceServers = new ArrayList<>();
    final List<Entry> clients = new ArrayList<>();
    final List<Entry> grants = new ArrayList<>();
    final List<Entry> tenants = new ArrayList<>();
    /** Deploy CLI {@code organizations}: their {@code client_grants} and {@code token_quota}. */
    final List<Entry> organizations = new ArrayList<>();
    final List<Unsupported> unsupported = new ArrayList<>();
}

package dev.keycloakm2m.store;

import java.util.ArrayList;
import java.util.List;

import dev.keycloakm2m.store.M2mStore.Change;

/**
 * The text of a cluster message "realm X's m2m data reached revision N by these changes": the realm id, the revision
 * and the changes, separated by U+001F (a character no id contains). {@code changes == null} (written {@code *}):
 * read the realm's whole index again.
 */
record ChangeMessage(String realmId, long revision, List<Change> changes) {

    private static final char SEPARATOR = '\u001f';

    static String encode(String realmId, long revision, List<Change> changes) {
        StringBuilder b = new StringBuilder(realmId).append(SEPARATOR).append(revision).append(SEPARATOR);
        if (changes == null) return b.append('*').toString();
        for (Change c : changes) b.append(c.kind()).append(c.id()).append(SEPARATOR);
        return b.toString();
    }

    /** {@code null} for a text that is not such a message. */
    static ChangeMessage decode(String text) {
        String[] parts = text.split(String.valueOf(SEPARATOR), -1);
        if (parts.length < 3 || parts[0].isEmpty()) return null;
        long revision;
        try {
            revision = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (parts.length == 3 && parts[2].equals("*")) return new ChangeMessage(parts[0], revision, null);
        List<Change> changes = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) {
            if (parts[i].isEmpty()) continue;
            changes.add(new Change(parts[i].charAt(0), parts[i].substring(1)));
        }
        return new ChangeMessage(parts[0], revision, changes);
    }
}

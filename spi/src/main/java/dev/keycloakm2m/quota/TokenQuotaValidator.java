package dev.keycloakm2m.quota;

import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.OrganizationQuota;
import dev.keycloakm2m.store.TokenQuota;

import java.util.ArrayList;
import java.util.List;

import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/**
 * The one validation routine for token quotas, per client and per organization (REST, console page, realm import)
 * and as the realm defaults (inside the realm settings).
 */
public final class TokenQuotaValidator {

    public static final String CLIENT_NOT_FOUND = "Client not found";

    private TokenQuotaValidator() {
    }

    /** A client's quota. {@code existing} is the stored one when updating. */
    public static ClientQuota validate(ClientQuotaDraft draft, ClientQuota existing, RealmView realm) {
        Text.controlCheck().text("id", draft.id()).text("client_id", draft.clientId()).text("per_hour", draft.perHour())
                .text("per_day", draft.perDay()).text("enforce", draft.enforce())
                .refuse();
        List<Problem> problems = new ArrayList<>();
        String clientId = draft.clientId();
        if (clientId == null || clientId.isEmpty()) {
            problems.add(Problem.invalid("client_id", "client_id is required"));
        } else if (existing != null && !existing.clientId().equals(clientId)) {
            problems.add(Problem.invalid("client_id", "client_id cannot be changed; delete the quota and create another"));
        } else if (realm.client(clientId).isEmpty()) {
            problems.add(Problem.notFound("client_id", CLIENT_NOT_FOUND));
        }
        TokenQuota quota = quota(draft.perHour(), draft.perDay(), draft.enforce(), "", problems);
        if (problems.isEmpty()) {
            realm.quota(clientId)
                    .filter(other -> existing == null || !other.id().equals(existing.id()))
                    .filter(other -> draft.id() == null || !other.id().equals(draft.id()))
                    .ifPresent(other -> problems.add(Problem.conflict("client_id",
                            "Client " + Text.quote(clientId) + " already has a token quota; update it instead")));
        }
        if (!problems.isEmpty()) throw new ValidationException(problems);
        return new ClientQuota(existing != null ? existing.id() : draft.id(), clientId, quota);
    }

    /**
     * An organization's quota: the same limits as a client's. {@code organizationId} is the id of an organization
     * of the realm (the caller resolved it); {@code existing} is the stored quota when updating.
     */
    public static OrganizationQuota validateOrganization(String organizationId, String perHour, String perDay, String enforce,
                                                         OrganizationQuota existing) {
        Text.controlCheck().text("per_hour", perHour).text("per_day", perDay).text("enforce", enforce).refuse();
        List<Problem> problems = new ArrayList<>();
        if (organizationId == null || organizationId.isEmpty()) {
            problems.add(Problem.invalid("organization", "organization is required"));
        }
        TokenQuota quota = quota(perHour, perDay, enforce, "", problems);
        if (!problems.isEmpty()) throw new ValidationException(problems);
        return new OrganizationQuota(existing != null ? existing.id() : null, organizationId, quota);
    }

    /**
     * Parses and checks per_hour / per_day / enforce; adds problems (fields prefixed with {@code fieldPrefix}) and
     * returns {@code null} when invalid. All three blank means "no quota" and returns {@code null} without problem
     * only when {@code optional}; see {@link #optionalQuota}.
     */
    static TokenQuota quota(String perHourRaw, String perDayRaw, String enforceRaw, String fieldPrefix, List<Problem> problems) {
        int before = problems.size();
        Integer perHour = limit(perHourRaw, fieldPrefix + "per_hour", problems);
        Integer perDay = limit(perDayRaw, fieldPrefix + "per_day", problems);
        boolean enforce = true;
        if (enforceRaw != null && !enforceRaw.isBlank()) {
            String e = enforceRaw.trim();
            if (e.equals("false")) enforce = false;
            else if (!e.equals("true")) problems.add(Problem.invalid(fieldPrefix + "enforce", fieldPrefix + "enforce must be true or false"));
        }
        if (problems.size() == before && perHour == null && perDay == null) {
            problems.add(Problem.invalid(fieldPrefix + "per_hour", "a token quota needs per_hour, per_day or both"));
        }
        return problems.size() == before ? new TokenQuota(perHour, perDay, enforce) : null;
    }

    /** The realm default: no value at all means no default quota. */
    public static TokenQuota optionalQuota(String perHourRaw, String perDayRaw, String enforceRaw, String fieldPrefix, List<Problem> problems) {
        if (blank(perHourRaw) && blank(perDayRaw)) return null;
        return quota(perHourRaw, perDayRaw, enforceRaw, fieldPrefix, problems);
    }

    private static Integer limit(String raw, String field, List<Problem> problems) {
        if (blank(raw)) return null;
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= 1 && v <= TokenQuota.MAX) return (int) v;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(Problem.invalid(field, field + " must be a whole number between 1 and " + TokenQuota.MAX));
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

import { useAdminClient, useAccess, useRealm } from "@keycloak/keycloak-admin-ui";
import { useCallback } from "react";

// Types of our admin REST API (docs/openapi/m2m-admin-api.yaml).
export type Scope = { value: string; description: string };
export type ResourceServer = {
  id: string;
  name: string;
  identifier: string;
  scopes: Scope[];
  signing_alg: string;
  token_lifetime: number;
  token_dialect: string;
  subject_type_authorization: { client: { policy: string } };
};
export type ClientGrant = {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
  allow_all_scopes: boolean;
  organization_usage: "deny" | "allow" | "require";
  allow_any_organization: boolean;
};
export type QuotaLimits = { per_hour: number | null; per_day: number | null; enforce: boolean };
export type Settings = {
  default_audience: string | null;
  error_style: "rfc" | "auth0";
  default_token_quota: {
    clients?: { client_credentials: QuotaLimits };
    organizations?: { client_credentials: QuotaLimits };
  } | null;
  allow_organization_name_in_authentication_api: boolean;
};
export type UsageBucket = { quota: number | null; used: number; remaining: number | null; reset_at: string };
export type TokenUsage = {
  client_id: string;
  quota_source: "client" | "realm_default" | null;
  enforce: boolean | null;
  per_hour: UsageBucket;
  per_day: UsageBucket;
};
export type RateLimitPolicy = {
  id: string;
  resource: string;
  consumer: string;
  consumer_selector: string;
  action: "block" | "log";
  limit: number;
  burst: number;
};
export type Page<T> = { start: number; limit: number; total: number; items: T[] };

/** An error answer of the admin API: its message, the body field at fault, every problem. */
export class M2mError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Calls /admin/realms/{realm}/m2m/... with the console's own admin token (the admin client's token provider). */
export function useM2m() {
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  return useCallback(
    async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const token = await adminClient.getAccessToken();
      const url = `${adminClient.baseUrl.replace(/\/+$/, "")}/admin/realms/${encodeURIComponent(realm)}/m2m/${path}`;
      const response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      let json: any = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (!response.ok) {
        const message =
          json?.errorMessage ?? json?.error_description ?? json?.error ?? `HTTP ${response.status}`;
        throw new M2mError(response.status, message, json?.field);
      }
      return json as T;
    },
    [adminClient, realm],
  );
}

export const enc = encodeURIComponent;

/** manage-realm edits; an admin with view-realm only sees every page read-only (the server refuses writes too). */
export function useCanManage() {
  const { hasAccess } = useAccess();
  return hasAccess("manage-realm");
}

/** Clients that can use client_credentials: confidential, service accounts enabled, OpenID Connect. */
export function isM2mCapable(c: {
  publicClient?: boolean;
  bearerOnly?: boolean;
  serviceAccountsEnabled?: boolean;
  protocol?: string;
}) {
  return !!c.serviceAccountsEnabled && !c.publicClient && !c.bearerOnly && (c.protocol ?? "openid-connect") === "openid-connect";
}

type GrantPage = { start: number; limit: number; total: number; client_grants: ClientGrant[] };

/** Every grant matching the filter (audience or client_id), page by page. */
export async function allGrants(
  m2m: ReturnType<typeof useM2m>,
  filter: { audience?: string; client_id?: string },
): Promise<ClientGrant[]> {
  const result: ClientGrant[] = [];
  for (let page = 0; ; page++) {
    const params = new URLSearchParams({ include_totals: "true", per_page: "100", page: String(page) });
    if (filter.audience) params.set("audience", filter.audience);
    if (filter.client_id) params.set("client_id", filter.client_id);
    const p = await m2m<GrantPage>("GET", `client-grants?${params}`);
    result.push(...p.client_grants);
    if (p.client_grants.length === 0 || result.length >= p.total) return result;
  }
}

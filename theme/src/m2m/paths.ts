export const toApis = (realm: string) => `/${encodeURIComponent(realm)}/m2m/apis`;
export const toApi = (realm: string, id: string, tab = "settings") =>
  `/${encodeURIComponent(realm)}/m2m/apis/${encodeURIComponent(id)}/${tab}`;
export const toTokenQuotas = (realm: string) => `/${encodeURIComponent(realm)}/m2m/token-quotas`;
export const toRateLimits = (realm: string) => `/${encodeURIComponent(realm)}/m2m/rate-limits`;
export const toM2mSettings = (realm: string) => `/${encodeURIComponent(realm)}/m2m/settings`;
export const toClientApis = (realm: string, clientId: string) =>
  `/${encodeURIComponent(realm)}/m2m/clients/${encodeURIComponent(clientId)}`;

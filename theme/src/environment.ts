import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";

// The environment Keycloak's index.ftl (of the parent theme keycloak.v2) injects into the page.
export const environment: AdminEnvironment = JSON.parse(
  document.getElementById("environment")!.textContent!,
);

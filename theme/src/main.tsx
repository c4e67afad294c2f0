import "@patternfly/patternfly/patternfly-addons.css";
import "@patternfly/react-core/dist/styles/base.css";
import "@keycloak/keycloak-admin-ui/styles.css";

import { KeycloakProvider, routes } from "@keycloak/keycloak-admin-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router-dom";
import { App } from "./App";
import { environment } from "./environment";
import { i18n } from "./i18n";
import { ClientM2mBar } from "./m2m/ClientM2mBar";
import { OrganizationM2mBar } from "./m2m/OrganizationM2mBar";
import { m2mRoutes } from "./m2m/routes";

// Keycloak's console routes, with ours before its catch-all "page not found" route. The same array is what
// the console's breadcrumbs and navigation consult, so our pages get breadcrumbs and access checks too.
routes.splice(routes.length - 1, 0, ...m2mRoutes);

// Keycloak's client page stays as it is; above it, the APIs the client is authorized for, with a link to its page.
const clientRoute = routes.find((r) => r.path === "/:realm/clients/:clientId/:tab");
if (clientRoute) {
  const original = clientRoute.element;
  clientRoute.element = (
    <>
      <ClientM2mBar />
      {original}
    </>
  );
}

// Keycloak's organization page likewise: above it, the organization's client grants and token quota.
const organizationRoute = routes.find((r) => r.path === "/:realm/organizations/:id/:tab/*");
if (organizationRoute) {
  const original = organizationRoute.element;
  organizationRoute.element = (
    <>
      <OrganizationM2mBar />
      {original}
    </>
  );
}

i18n.init().then(() => {
  const router = createHashRouter([
    {
      path: "/",
      element: (
        <KeycloakProvider environment={environment}>
          <App />
        </KeycloakProvider>
      ),
      children: routes,
    },
  ]);
  createRoot(document.getElementById("app")!).render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
});

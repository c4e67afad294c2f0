import type { routes } from "@keycloak/keycloak-admin-ui";
import type { TFunction } from "i18next";
import { ApiDetails } from "./ApiDetails";
import { ApisSection } from "./ApisSection";
import { ClientApis } from "./ClientApis";
import { CreateApi } from "./CreateApi";
import { M2mSettings } from "./M2mSettings";
import { RateLimitPolicies } from "./RateLimitPolicies";
import { TokenQuotas } from "./TokenQuotas";

type AppRouteObject = (typeof routes)[number];

// Every page is readable with view-realm (like Keycloak's Configure pages); writing needs manage-realm, which
// the pages check to show their controls, and which the server checks on every write.
export const m2mRoutes: AppRouteObject[] = [
  {
    path: "/:realm/m2m/apis",
    element: <ApisSection />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mApis") },
  },
  {
    path: "/:realm/m2m/apis/new",
    element: <CreateApi />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mCreateApi") },
  },
  {
    path: "/:realm/m2m/apis/:id/:tab",
    element: <ApiDetails />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mApiDetails") },
  },
  {
    path: "/:realm/m2m/token-quotas",
    element: <TokenQuotas />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mTokenQuotas") },
  },
  {
    path: "/:realm/m2m/rate-limits",
    element: <RateLimitPolicies />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mRateLimits") },
  },
  {
    path: "/:realm/m2m/settings",
    element: <M2mSettings />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mSettings") },
  },
  {
    path: "/:realm/m2m/clients/:clientId",
    element: <ClientApis />,
    handle: { access: "view-realm", breadcrumb: (t: TFunction) => t("m2mClientApis") },
  },
];


// Keycloak's console navigation (PageNav.tsx of @keycloak/keycloak-admin-ui 26.7.0, Apache License 2.0) with
// the keycloak-m2m pages added to the Configure section.
import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import {
  routes,
  useAccess,
  useEnvironment,
  useRealm,
  useServerInfo,
} from "@keycloak/keycloak-admin-ui";
import {
  Label,
  Nav,
  NavGroup,
  PageSidebar,
  PageSidebarBody,
} from "@patternfly/react-core";
import { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useNavigate } from "react-router-dom";

type LeftNavProps = { title: string; path: string };

const LeftNav = ({ title, path }: LeftNavProps) => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const { realm } = useRealm();
  const encodedRealm = encodeURIComponent(realm);
  const route = routes.find(
    (route) => route.path.replace(/\/:.+?(\?|(?:(?!\/).)*|$)/g, "") === path,
  );
  const accessAllowed =
    route &&
    (route.handle.access instanceof Array
      ? hasAccess(...route.handle.access)
      : hasAccess(route.handle.access));
  if (!accessAllowed) return null;

  const name = "nav-item" + path.replace(/\//g, "-").replace(/^-/, "-");
  return (
    <li>
      <NavLink
        id={name}
        data-testid={name}
        to={`/${encodedRealm}${path}`}
        className={({ isActive }) =>
          `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`
        }
      >
        {t(title)}
      </NavLink>
    </li>
  );
};

export const PageNav = () => {
  const { t } = useTranslation();
  const { environment } = useEnvironment<AdminEnvironment>();
  const { hasSomeAccess } = useAccess();
  const { features } = useServerInfo();
  const navigate = useNavigate();
  const { realm, realmRepresentation } = useRealm();
  const isFeatureEnabled = (name: string) =>
    !!features?.some((f) => f.enabled && f.name === name);

  type SelectedItem = { to: string; event: FormEvent<HTMLInputElement> };
  const onSelect = (item: SelectedItem) => {
    navigate(item.to);
    item.event.preventDefault();
  };

  const showManage = hasSomeAccess(
    "view-realm",
    "query-groups",
    "query-users",
    "query-clients",
    "query-organizations",
    "view-events",
  );
  const showConfigure = hasSomeAccess(
    "view-realm",
    "query-clients",
    "view-identity-providers",
  );
  const showWorkflows =
    hasSomeAccess("realm-admin", "admin") && isFeatureEnabled("WORKFLOWS");
  const showManageRealm = environment.masterRealm === environment.realm;
  const displayName = realmRepresentation?.displayName
    ? t(realmRepresentation.displayName.replace(/^\$\{(.*)\}$/, "$1"))
    : realm;

  return (
    <PageSidebar className="keycloak__page_nav__nav">
      <PageSidebarBody>
        <Nav onSelect={(_event, item) => onSelect(item as unknown as SelectedItem)}>
          <h2 className="pf-v5-c-nav__section-title" style={{ wordWrap: "break-word" }}>
            <span data-testid="currentRealm">{displayName}</span>{" "}
            <Label color="blue">{t("currentRealm")}</Label>
          </h2>
          {showManageRealm && (
            <NavGroup>
              <LeftNav title={t("manageRealms")} path="/realms" />
            </NavGroup>
          )}
          {showManage && (
            <NavGroup aria-label={t("manage")} title={t("manage")}>
              {isFeatureEnabled("ORGANIZATION") &&
                hasSomeAccess("manage-realm", "query-organizations") &&
                realmRepresentation?.organizationsEnabled && (
                  <LeftNav title="organizations" path="/organizations" />
                )}
              <LeftNav title="clients" path="/clients" />
              <LeftNav title="clientScopes" path="/client-scopes" />
              <LeftNav title="realmRoles" path="/roles" />
              <LeftNav title="users" path="/users" />
              <LeftNav title="groups" path="/groups" />
              <LeftNav title="sessions" path="/sessions" />
              <LeftNav title="events" path="/events" />
            </NavGroup>
          )}
          {showConfigure && (
            <NavGroup aria-label={t("configure")} title={t("configure")}>
              <LeftNav title="realmSettings" path="/realm-settings" />
              <LeftNav title="authentication" path="/authentication" />
              {isFeatureEnabled("ADMIN_FINE_GRAINED_AUTHZ_V2") &&
                realmRepresentation?.adminPermissionsEnabled && (
                  <LeftNav title="permissions" path="/permissions" />
                )}
              <LeftNav title="identityProviders" path="/identity-providers" />
              <LeftNav title="userFederation" path="/user-federation" />
              {showWorkflows && <LeftNav title="workflows" path="/workflows" />}
              <LeftNav title="m2mNavApis" path="/m2m/apis" />
              <LeftNav title="m2mNavTokenQuotas" path="/m2m/token-quotas" />
              <LeftNav title="m2mNavRateLimits" path="/m2m/rate-limits" />
              <LeftNav title="m2mNavSettings" path="/m2m/settings" />
            </NavGroup>
          )}
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
};

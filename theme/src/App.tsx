// Keycloak's console frame (App.tsx of @keycloak/keycloak-admin-ui 26.7.0, Apache License 2.0) with our
// navigation: the same providers, header, breadcrumbs and access check, and a sidebar that adds our pages.
import {
  AdminClientProvider,
  AppContexts,
  ForbiddenSection,
  Header,
  PageBreadCrumbs,
  useAccess,
  useWhoAmI,
} from "@keycloak/keycloak-admin-ui";
import {
  Banner,
  Bullseye,
  Flex,
  FlexItem,
  Page,
  Spinner,
} from "@patternfly/react-core";
import { ExclamationTriangleIcon } from "@patternfly/react-icons";
import { Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useMatches } from "react-router-dom";
import { PageNav } from "./PageNav";

const Loading = () => (
  <Bullseye>
    <Spinner />
  </Bullseye>
);

const Banners = () => {
  const { t } = useTranslation();
  const { whoAmI } = useWhoAmI();
  if (!whoAmI.temporary) return null;
  return (
    <Banner variant="gold" screenReaderText={t("loggedInAsTempAdminUser")}>
      <ExclamationTriangleIcon style={{ marginRight: "0.3rem" }} />
      {t("loggedInAsTempAdminUser")}
    </Banner>
  );
};

// Every route names the roles it needs (handle.access); without them the console shows "forbidden".
const AuthWall = ({ children }: { children: JSX.Element }) => {
  const matches = useMatches();
  const { hasAccess } = useAccess();
  const needed = matches.flatMap(({ handle }) => {
    if (typeof handle !== "object" || handle === null || !("access" in handle)) return [];
    const access = (handle as { access: unknown }).access;
    return (Array.isArray(access) ? access : [access]) as never[];
  });
  if (!hasAccess(...needed)) {
    return <ForbiddenSection permissionNeeded={needed} />;
  }
  return children;
};

export const App = () => {
  const hrefEndsWithHashSlash = location.href.endsWith("#/");
  useEffect(() => {
    if (!hrefEndsWithHashSlash) return;
    history.replaceState(null, "", location.pathname);
  }, [hrefEndsWithHashSlash]);

  return (
    <AdminClientProvider>
      <AppContexts>
        <Flex
          direction={{ default: "column" }}
          flexWrap={{ default: "nowrap" }}
          spaceItems={{ default: "spaceItemsNone" }}
          style={{ height: "100%" }}
        >
          <FlexItem>
            <Banners />
          </FlexItem>
          <FlexItem grow={{ default: "grow" }} style={{ minHeight: 0 }}>
            <Page
              header={<Header />}
              isManagedSidebar
              sidebar={<PageNav />}
              breadcrumb={<PageBreadCrumbs />}
              mainContainerId="kc-main-content-page-container"
            >
              <Suspense fallback={<Loading />}>
                <AuthWall>
                  <Outlet />
                </AuthWall>
              </Suspense>
            </Page>
          </FlexItem>
        </Flex>
      </AppContexts>
    </AdminClientProvider>
  );
};

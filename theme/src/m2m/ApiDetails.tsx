import { useRealm } from "@keycloak/keycloak-admin-ui";
import { PageSection, Tab, TabTitleText, Tabs } from "@patternfly/react-core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { ResourceServer, enc, useM2m } from "./api";
import { ApiApplications } from "./ApiApplications";
import { ApiPermissions } from "./ApiPermissions";
import { ApiQuotas } from "./ApiQuotas";
import { ApiSettings } from "./ApiSettings";
import { ErrorAlert, PageHeader } from "./common";
import { toApi } from "./paths";

/** One API, with Auth0's tabs: Settings, Permissions, Machine to Machine Applications, and its Quotas. */
export const ApiDetails = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { id, tab } = useParams<{ id: string; tab: string }>();
  const m2m = useM2m();
  const navigate = useNavigate();
  const [api, setApi] = useState<ResourceServer>();
  const [error, setError] = useState<Error>();

  const reload = useCallback(() => {
    m2m<ResourceServer>("GET", `resource-servers/${enc(id!)}`).then(setApi).catch(setError);
  }, [m2m, id]);
  useEffect(reload, [reload]);

  if (error) return <PageSection><ErrorAlert error={error} /></PageSection>;
  if (!api) return null;
  return (
    <>
      <PageHeader title={api.name} description={api.identifier} />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Tabs
          activeKey={tab ?? "settings"}
          onSelect={(_e, key) => navigate(toApi(realm, api.id, String(key)))}
          mountOnEnter
          unmountOnExit
          inset={{ default: "insetMd" }}
        >
          <Tab eventKey="settings" data-testid="m2m-tab-settings" title={<TabTitleText>{t("m2mTabSettings")}</TabTitleText>}>
            <PageSection variant="light"><ApiSettings api={api} onSaved={setApi} /></PageSection>
          </Tab>
          <Tab eventKey="permissions" data-testid="m2m-tab-permissions" title={<TabTitleText>{t("m2mTabPermissions")}</TabTitleText>}>
            <PageSection variant="light"><ApiPermissions api={api} onSaved={setApi} /></PageSection>
          </Tab>
          <Tab eventKey="applications" data-testid="m2m-tab-applications" title={<TabTitleText>{t("m2mTabApplications")}</TabTitleText>}>
            <PageSection variant="light"><ApiApplications api={api} /></PageSection>
          </Tab>
          <Tab eventKey="quotas" data-testid="m2m-tab-quotas" title={<TabTitleText>{t("m2mTabQuotas")}</TabTitleText>}>
            <PageSection variant="light"><ApiQuotas api={api} /></PageSection>
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
};

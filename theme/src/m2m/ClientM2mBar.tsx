import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { Label, LabelGroup, PageSection } from "@patternfly/react-core";
import { ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { ClientGrant, allGrants, isM2mCapable, useM2m } from "./api";
import { toClientApis } from "./paths";

/**
 * On Keycloak's own client page (which has no extension point for tabs): a line with the APIs the client is
 * authorized for and a link to its page of APIs. Shown for clients that can use client credentials or have grants.
 */
export const ClientM2mBar = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { adminClient } = useAdminClient();
  const { clientId: id } = useParams<{ clientId: string }>();
  const m2m = useM2m();
  const [state, setState] = useState<{ clientId: string; grants: ClientGrant[] }>();

  useEffect(() => {
    let live = true;
    (async () => {
      const client = await adminClient.clients.findOne({ realm, id: id! });
      if (!client?.clientId) return;
      const grants = await allGrants(m2m, { client_id: client.clientId });
      if (live && (grants.length > 0 || isM2mCapable(client))) setState({ clientId: client.clientId, grants });
    })().catch(() => live && setState(undefined)); // no view-realm: Keycloak's page alone
    return () => {
      live = false;
    };
  }, [adminClient, m2m, realm, id]);

  if (!state) return null;
  let apis: ReactNode = t("m2mNoGrants");
  if (state.grants.length > 0) {
    apis = (
      <LabelGroup numLabels={5} className="pf-v5-u-ml-sm">
        {state.grants.map((g) => <Label key={g.id} isCompact>{g.audience}</Label>)}
      </LabelGroup>
    );
  }
  return (
    <PageSection variant="light" className="pf-v5-u-py-sm" data-testid="m2m-client-bar">
      <strong>{t("m2mClientApis")}:</strong> {apis}{" "}
      <Link to={toClientApis(realm, state.clientId)} data-testid="m2m-client-apis-link" className="pf-v5-u-ml-sm">
        {t("m2mShowClientApis")}
      </Link>
    </PageSection>
  );
};

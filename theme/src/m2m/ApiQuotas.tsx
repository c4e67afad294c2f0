import { useRealm } from "@keycloak/keycloak-admin-ui";
import { Alert } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ResourceServer, TokenUsage, allGrants, useM2m } from "./api";
import { ErrorAlert } from "./common";
import { toClientApis, toTokenQuotas } from "./paths";
import { UsageBar } from "./quota";
import { SourceLabel } from "./TokenQuotas";

/** The clients authorized for this API, with their token quota and this hour's and day's usage. */
export const ApiQuotas = ({ api }: { api: ResourceServer }) => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const m2m = useM2m();
  const [usage, setUsage] = useState<TokenUsage[]>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    (async () => {
      const grants = await allGrants(m2m, { audience: api.identifier });
      const list = await Promise.all(
        grants.map((g) => m2m<TokenUsage>("GET", `clients/${encodeURIComponent(g.client_id)}/token-usage`)),
      );
      setUsage(list.sort((a, b) => a.client_id.localeCompare(b.client_id)));
    })().catch(setError);
  }, [m2m, api.identifier]);

  return (
    <>
      <Alert variant="info" isInline isPlain className="pf-v5-u-mb-md"
        title={<>{t("m2mApiQuotasIntro")} <Link to={toTokenQuotas(realm)}>{t("m2mTokenQuotas")}</Link></>} />
      <ErrorAlert error={error} />
      <Table aria-label={t("m2mTabQuotas")} variant="compact" data-testid="m2m-api-quotas">
        <Thead>
          <Tr>
            <Th>{t("m2mClientId")}</Th>
            <Th>{t("m2mQuotaSource")}</Th>
            <Th>{t("m2mPerHour")}</Th>
            <Th>{t("m2mPerDay")}</Th>
          </Tr>
        </Thead>
        <Tbody>
          {usage?.length === 0 && <Tr><Td colSpan={4}>{t("m2mNoAuthorizedClients")}</Td></Tr>}
          {usage?.map((u) => (
            <Tr key={u.client_id}>
              <Td><Link to={toClientApis(realm, u.client_id)}>{u.client_id}</Link></Td>
              <Td><SourceLabel usage={u} /></Td>
              <Td><UsageBar bucket={u.per_hour} /></Td>
              <Td><UsageBar bucket={u.per_day} /></Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  );
};

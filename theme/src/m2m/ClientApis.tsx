import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  PageSection,
  Title,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { ClientGrant, ResourceServer, TokenUsage, allGrants, useM2m } from "./api";
import { ErrorAlert, PageHeader } from "./common";
import { toApi, toTokenQuotas } from "./paths";
import { UsageBar } from "./quota";
import { SourceLabel } from "./TokenQuotas";

type ApiPage = { resource_servers: ResourceServer[] };

/** A client's side: the APIs it is authorized for, with the granted scopes, and its token quota. */
export const ClientApis = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { adminClient } = useAdminClient();
  const { clientId } = useParams<{ clientId: string }>();
  const m2m = useM2m();
  const [grants, setGrants] = useState<ClientGrant[]>();
  const [apis, setApis] = useState<Map<string, ResourceServer>>(new Map());
  const [usage, setUsage] = useState<TokenUsage>();
  const [uuid, setUuid] = useState<string>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    (async () => {
      const gs = await allGrants(m2m, { client_id: clientId! });
      const map = new Map<string, ResourceServer>();
      for (let i = 0; i < gs.length; i += 10) {
        const params = new URLSearchParams({ per_page: "100" });
        gs.slice(i, i + 10).forEach((g) => params.append("identifiers", g.audience));
        const page = await m2m<ResourceServer[] | ApiPage>("GET", `resource-servers?${params}`);
        (Array.isArray(page) ? page : page.resource_servers).forEach((a) => map.set(a.identifier, a));
      }
      setApis(map);
      setGrants(gs); // with the APIs' names: rows never show a placeholder name first
      setUsage(await m2m<TokenUsage>("GET", `clients/${encodeURIComponent(clientId!)}/token-usage`));
    })().catch(setError);
    adminClient.clients
      .find({ realm, clientId: clientId!, search: false })
      .then((cs) => setUuid(cs[0]?.id))
      .catch(() => setUuid(undefined));
  }, [m2m, adminClient, realm, clientId]);

  return (
    <>
      <PageHeader title={t("m2mClientApisTitle", { client: clientId })} description={t("m2mClientApisIntro")}>
        {uuid && (
          <Link to={`/${encodeURIComponent(realm)}/clients/${uuid}/settings`} data-testid="m2m-keycloak-client-link">
            {t("m2mOpenClient")}
          </Link>
        )}
      </PageHeader>
      <PageSection variant="light">
        <ErrorAlert error={error} />
        <Table aria-label={t("m2mClientApis")} variant="compact" data-testid="m2m-client-apis">
          <Thead>
            <Tr>
              <Th>{t("m2mApi")}</Th>
              <Th>{t("m2mIdentifier")}</Th>
              <Th>{t("m2mGrantedPermissions")}</Th>
              <Th modifier="nowrap">{t("m2mOrganizations")}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {grants?.length === 0 && <Tr><Td colSpan={4}>{t("m2mNoGrants")}</Td></Tr>}
            {grants?.map((g) => {
              const api = apis.get(g.audience);
              return (
                <Tr key={g.id}>
                  <Td>{api ? <Link to={toApi(realm, api.id, "applications")}>{api.name}</Link> : "—"}</Td>
                  <Td><code>{g.audience}</code></Td>
                  <Td>
                    {g.allow_all_scopes ? (
                      <Label color="blue">{t("m2mAllScopes")}</Label>
                    ) : g.scope.length === 0 ? (
                      t("m2mNoScopes")
                    ) : (
                      <LabelGroup numLabels={10}>{g.scope.map((s) => <Label key={s}>{s}</Label>)}</LabelGroup>
                    )}
                  </Td>
                  <Td data-testid={`m2m-client-api-organizations-${g.audience}`}>
                    {t(`m2mOrgUsage_${g.organization_usage ?? "deny"}`)}
                    {g.organization_usage !== "deny" && g.allow_any_organization && (
                      <Label color="blue" className="pf-v5-u-ml-sm">{t("m2mAnyOrganization")}</Label>
                    )}
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </PageSection>
      {usage && (
        <PageSection variant="light">
          <Title headingLevel="h2" size="lg" className="pf-v5-u-mb-md">
            <Link to={toTokenQuotas(realm)}>{t("m2mTokenQuotas")}</Link>
          </Title>
          <DescriptionList isHorizontal>
            <DescriptionListGroup>
              <DescriptionListTerm>{t("m2mQuotaSource")}</DescriptionListTerm>
              <DescriptionListDescription><SourceLabel usage={usage} /></DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>{t("m2mPerHour")}</DescriptionListTerm>
              <DescriptionListDescription><UsageBar bucket={usage.per_hour} /></DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>{t("m2mPerDay")}</DescriptionListTerm>
              <DescriptionListDescription><UsageBar bucket={usage.per_day} /></DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
        </PageSection>
      )}
    </>
  );
};

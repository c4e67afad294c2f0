import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Divider,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Settings, TokenUsage, isM2mCapable, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, PageHeader, ReadOnlyNotice, useToasts } from "./common";
import { DefaultQuota } from "./DefaultQuota";
import { toClientApis } from "./paths";
import { QuotaModal, UsageBar, closeness } from "./quota";

type UsagePage = { start: number; limit: number; total: number; token_usage: TokenUsage[] };
type Sort = "closeness" | "client_id" | "per_hour" | "per_day";

export const SourceLabel = ({ usage }: { usage: TokenUsage }) => {
  const { t } = useTranslation();
  if (usage.quota_source === "client") return <Label color="blue">{t("m2mSourceClient")}</Label>;
  if (usage.quota_source === "realm_default") return <Label color="purple">{t("m2mSourceDefault")}</Label>;
  return <Label>{t("m2mSourceNone")}</Label>;
};

/** Token quotas: every client with a quota (its own or the realm default) or tokens this hour or day. */
export const TokenQuotas = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { adminClient } = useAdminClient();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [usage, setUsage] = useState<TokenUsage[]>();
  const [settings, setSettings] = useState<Settings>();
  const [sort, setSort] = useState<Sort>("closeness");
  const [error, setError] = useState<Error>();
  const [editing, setEditing] = useState<{ usage?: TokenUsage } | undefined>();
  const [clientIds, setClientIds] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const all: TokenUsage[] = [];
      for (let page = 0; ; page++) {
        const p = await m2m<UsagePage>("GET", `token-usage?include_totals=true&per_page=100&page=${page}`);
        all.push(...p.token_usage);
        if (p.token_usage.length === 0 || all.length >= p.total) break;
      }
      setUsage(all);
      setSettings(await m2m<Settings>("GET", "settings"));
    } catch (e) {
      setError(e as Error);
    }
  }, [m2m]);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    if (!canManage) return;
    adminClient.clients
      .find({ realm, first: 0, max: 500 })
      .then((cs) => setClientIds(cs.filter(isM2mCapable).map((c) => c.clientId!)))
      .catch(() => setClientIds([]));
  }, [adminClient, realm, canManage]);

  const sorted = useMemo(() => {
    if (!usage) return undefined;
    const list = [...usage];
    const byId = (a: TokenUsage, b: TokenUsage) => a.client_id.localeCompare(b.client_id);
    if (sort === "closeness") list.sort((a, b) => closeness(b) - closeness(a) || byId(a, b));
    if (sort === "client_id") list.sort(byId);
    if (sort === "per_hour") list.sort((a, b) => b.per_hour.used - a.per_hour.used || byId(a, b));
    if (sort === "per_day") list.sort((a, b) => b.per_day.used - a.per_day.used || byId(a, b));
    return list;
  }, [usage, sort]);

  return (
    <>
      {toasts}
      <PageHeader title={t("m2mTokenQuotas")} description={t("m2mTokenQuotasIntro")} />
      <PageSection variant="light">
        {!canManage && <ReadOnlyNotice />}
        <ErrorAlert error={error} />
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Title headingLevel="h2" size="lg">{t("m2mUsageThisWindow")} <Help label={t("m2mUsageThisWindow")} text={t("m2mUsageHelp")} /></Title>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label={t("m2mSortBy")} data-testid="m2m-quota-sort" value={sort} onChange={(_e, v) => setSort(v as Sort)}>
                <FormSelectOption value="closeness" label={t("m2mSortCloseness")} />
                <FormSelectOption value="per_hour" label={t("m2mSortPerHour")} />
                <FormSelectOption value="per_day" label={t("m2mSortPerDay")} />
                <FormSelectOption value="client_id" label={t("m2mSortClientId")} />
              </FormSelect>
            </ToolbarItem>
            {canManage && (
              <ToolbarItem>
                <Button data-testid="m2m-set-quota" onClick={() => setEditing({})}>{t("m2mSetQuota")}</Button>
              </ToolbarItem>
            )}
            <ToolbarItem>
              <Button variant="secondary" data-testid="m2m-refresh" onClick={load}>{t("m2mRefresh")}</Button>
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <Table aria-label={t("m2mTokenQuotas")} variant="compact" data-testid="m2m-quota-table">
          <Thead>
            <Tr>
              <Th>{t("m2mClientId")}</Th>
              <Th>{t("m2mQuotaSource")}</Th>
              <Th>{t("m2mPerHour")}</Th>
              <Th>{t("m2mPerDay")}</Th>
              <Th>{t("m2mEnforce")}</Th>
              {canManage && <Th screenReaderText={t("m2mActions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {sorted?.length === 0 && <Tr><Td colSpan={6}>{t("m2mNoUsage")}</Td></Tr>}
            {sorted?.map((u) => (
              <Tr key={u.client_id} data-testid={`m2m-quota-row-${u.client_id}`}>
                <Td dataLabel={t("m2mClientId")}><Link to={toClientApis(realm, u.client_id)}>{u.client_id}</Link></Td>
                <Td dataLabel={t("m2mQuotaSource")}><SourceLabel usage={u} /></Td>
                <Td dataLabel={t("m2mPerHour")}><UsageBar bucket={u.per_hour} testId={`m2m-usage-hour-${u.client_id}`} /></Td>
                <Td dataLabel={t("m2mPerDay")}><UsageBar bucket={u.per_day} testId={`m2m-usage-day-${u.client_id}`} /></Td>
                <Td dataLabel={t("m2mEnforce")}>{u.enforce === null ? "—" : u.enforce ? t("m2mYes") : t("m2mNo")}</Td>
                {canManage && (
                  <Td isActionCell>
                    <Button variant="link" data-testid={`m2m-edit-quota-${u.client_id}`} onClick={() => setEditing({ usage: u })}>
                      {u.quota_source === "client" ? t("m2mEditQuota") : t("m2mSetQuota")}
                    </Button>
                  </Td>
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      </PageSection>
      <Divider />
      <PageSection variant="light">
        {settings && <DefaultQuota settings={settings} onSaved={(s) => { setSettings(s); load(); }} />}
      </PageSection>
      {editing && (
        <QuotaModal
          clientId={editing.usage?.client_id}
          clientIds={clientIds}
          hasOwn={editing.usage?.quota_source === "client"}
          initial={editing.usage?.quota_source === "client"
            ? { per_hour: editing.usage.per_hour.quota, per_day: editing.usage.per_day.quota, enforce: !!editing.usage.enforce }
            : undefined}
          onClose={() => setEditing(undefined)}
          onSave={async (clientId, body) => {
            await m2m("PUT", `clients/${encodeURIComponent(clientId)}/token-quota`, { client_credentials: body });
            setEditing(undefined);
            toast("success", t("m2mSaved"));
            load();
          }}
          onRemove={async (clientId) => {
            await m2m("DELETE", `clients/${encodeURIComponent(clientId)}/token-quota`);
            setEditing(undefined);
            toast("success", t("m2mSaved"));
            load();
          }}
        />
      )}
    </>
  );
};

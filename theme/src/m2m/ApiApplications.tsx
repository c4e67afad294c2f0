import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  Checkbox,
  DataList,
  DataListCell,
  DataListContent,
  DataListItem,
  DataListItemCells,
  DataListItemRow,
  Flex,
  FlexItem,
  SearchInput,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ClientGrant, ResourceServer, allGrants, isM2mCapable, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, ReadOnlyNotice, useToasts } from "./common";
import { toClientApis } from "./paths";

type Row = { clientId: string; name?: string; capable: boolean; grant?: ClientGrant };

/**
 * Auth0's "Machine to Machine Applications" tab: every client of the realm that can use client_credentials
 * (confidential, service accounts on), each with an Authorized toggle and, once authorized, its scopes.
 */
export const ApiApplications = ({ api }: { api: ResourceServer }) => {
  const { t } = useTranslation();
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [rows, setRows] = useState<Row[]>();
  const [clientsHidden, setClientsHidden] = useState(false);
  const [error, setError] = useState<Error>();
  const [filter, setFilter] = useState("");

  const load = useCallback(async () => {
    try {
      const grants = await allGrants(m2m, { audience: api.identifier });
      const byClient = new Map<string, Row>();
      try {
        for (let first = 0; ; first += 100) {
          const clients = await adminClient.clients.find({ realm, first, max: 100 });
          clients.filter(isM2mCapable).forEach((c) =>
            byClient.set(c.clientId!, { clientId: c.clientId!, name: c.name, capable: true }),
          );
          if (clients.length < 100) break;
        }
        setClientsHidden(false);
      } catch {
        // an admin without view-clients / query-clients: only the clients this API is granted to
        setClientsHidden(true);
      }
      grants.forEach((g) => {
        const row = byClient.get(g.client_id) ?? { clientId: g.client_id, capable: true };
        byClient.set(g.client_id, { ...row, grant: g });
      });
      setRows([...byClient.values()].sort((a, b) => a.clientId.localeCompare(b.clientId)));
    } catch (e) {
      setError(e as Error);
    }
  }, [m2m, adminClient, realm, api.identifier]);
  useEffect(() => {
    load();
  }, [load]);

  const shown = useMemo(
    () => rows?.filter((r) => !filter || r.clientId.toLowerCase().includes(filter.toLowerCase()) || r.name?.toLowerCase().includes(filter.toLowerCase())),
    [rows, filter],
  );

  return (
    <>
      <Alert variant="info" isInline isPlain title={t("m2mApplicationsIntro")} className="pf-v5-u-mb-md" />
      {!canManage && <ReadOnlyNotice />}
      {clientsHidden && <Alert variant="warning" isInline isPlain title={t("m2mClientsHidden")} className="pf-v5-u-mb-md" />}
      <ErrorAlert error={error} />
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput className="m2m-find" placeholder={t("m2mSearchClients")} aria-label={t("m2mSearchClients")} value={filter}
              onChange={(_e, v) => setFilter(v)} onClear={() => setFilter("")} />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {shown && shown.length === 0 && <p>{t("m2mNoM2mClients")}</p>}
      <DataList aria-label={t("m2mTabApplications")} data-testid="m2m-applications">
        {shown?.map((row) => (
          <ApplicationRow key={row.clientId} api={api} row={row} canManage={canManage}
            onChange={(grant) => setRows((rs) => rs!.map((r) => (r.clientId === row.clientId ? { ...r, grant } : r)))} />
        ))}
      </DataList>
    </>
  );
};

const ApplicationRow = ({ api, row, canManage, onChange }: {
  api: ResourceServer;
  row: Row;
  canManage: boolean;
  onChange: (grant?: ClientGrant) => void;
}) => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const m2m = useM2m();
  const [toasts, toast] = useToasts();
  const [selected, setSelected] = useState<string[]>(row.grant?.scope ?? []);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const saved = row.grant?.scope ?? [];
  const dirty = !!row.grant && (selected.length !== saved.length || selected.some((s) => !saved.includes(s)));
  const testId = `m2m-app-${row.clientId}`;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const authorize = (on: boolean) =>
    run(async () => {
      if (on) {
        const grant = await m2m<ClientGrant>("POST", "client-grants", { client_id: row.clientId, audience: api.identifier, scope: [] });
        setSelected(grant.scope);
        onChange(grant);
        toast("success", t("m2mAuthorized", { client: row.clientId }));
      } else if (row.grant) {
        await m2m("DELETE", `client-grants/${encodeURIComponent(row.grant.id)}`);
        setSelected([]);
        onChange(undefined);
        toast("success", t("m2mUnauthorized", { client: row.clientId }));
      }
    });

  const update = () =>
    run(async () => {
      const grant = await m2m<ClientGrant>("PATCH", `client-grants/${encodeURIComponent(row.grant!.id)}`, { scope: selected });
      setSelected(grant.scope);
      onChange(grant);
      toast("success", t("m2mGrantSaved", { client: row.clientId }));
    });

  return (
    <DataListItem aria-labelledby={`${testId}-name`} isExpanded={!!row.grant} data-testid={testId}>
      {toasts}
      <DataListItemRow>
        <DataListItemCells
          dataListCells={[
            <DataListCell key="name">
              <span id={`${testId}-name`}>
                <Link to={toClientApis(realm, row.clientId)}><strong>{row.clientId}</strong></Link>
                {row.name && <span className="pf-v5-u-color-200 pf-v5-u-ml-sm">{row.name}</span>}
              </span>
            </DataListCell>,
            <DataListCell key="toggle" alignRight isFilled={false}>
              <Switch
                id={`${testId}-authorized`}
                data-testid={`${testId}-authorized`}
                label={t("m2mAuthorizedLabel")}
                labelOff={t("m2mUnauthorizedLabel")}
                isChecked={!!row.grant}
                isDisabled={!canManage || busy}
                onChange={(_e, on) => authorize(on)}
              />
            </DataListCell>,
          ]}
        />
      </DataListItemRow>
      {error && <div className="pf-v5-u-px-lg pf-v5-u-pb-md"><ErrorAlert error={error} /></div>}
      {row.grant && (
        <DataListContent aria-label={t("m2mGrantedPermissions")}>
          <Flex alignItems={{ default: "alignItemsCenter" }}>
            <FlexItem><strong>{t("m2mGrantedPermissions")}</strong>
              <Help label={t("m2mGrantedPermissions")} text={t("m2mGrantedPermissionsHelp")} /></FlexItem>
            {canManage && api.scopes.length > 0 && (
              <FlexItem>
                <Button variant="link" isInline data-testid={`${testId}-all`} onClick={() => setSelected(api.scopes.map((s) => s.value))}>{t("m2mSelectAll")}</Button>
                {" / "}
                <Button variant="link" isInline data-testid={`${testId}-none`} onClick={() => setSelected([])}>{t("m2mSelectNone")}</Button>
              </FlexItem>
            )}
          </Flex>
          {row.grant.allow_all_scopes && <Alert variant="info" isInline isPlain title={t("m2mAllowAllScopes")} />}
          {row.grant.organization_usage && row.grant.organization_usage !== "deny" && (
            <Alert variant="info" isInline isPlain data-testid={`${testId}-organizations`}
              title={t(row.grant.allow_any_organization ? "m2mGrantAnyOrganization" : "m2mGrantOrganizations",
                { usage: t(`m2mOrgUsage_${row.grant.organization_usage}`) })} />
          )}
          {api.scopes.length === 0 && <p>{t("m2mNoPermissions")}</p>}
          <Flex className="pf-v5-u-mt-sm">
            {api.scopes.map((s) => (
              <FlexItem key={s.value}>
                <Checkbox
                  id={`${testId}-scope-${s.value}`}
                  data-testid={`${testId}-scope-${s.value}`}
                  label={<code>{s.value}</code>}
                  description={s.description}
                  isChecked={selected.includes(s.value)}
                  isDisabled={!canManage || busy}
                  onChange={(_e, on) => setSelected(on ? [...selected, s.value] : selected.filter((x) => x !== s.value))}
                />
              </FlexItem>
            ))}
          </Flex>
          {canManage && (
            <Button className="pf-v5-u-mt-md" data-testid={`${testId}-update`} isDisabled={!dirty || busy} onClick={update}>
              {t("m2mUpdate")}
            </Button>
          )}
        </DataListContent>
      )}
    </DataListItem>
  );
};

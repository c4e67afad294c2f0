import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  Modal,
  PageSection,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { RateLimitPolicy, isM2mCapable, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, PageHeader, ReadOnlyNotice, errorField, useToasts } from "./common";
import { toClientApis } from "./paths";

type PolicyPage = { start: number; limit: number; total: number; rate_limit_policies: RateLimitPolicy[] };

const DEFAULT = "default";
const CLIENT_PREFIX = "client_id:";
const toNumber = (v: string) => (v.trim() === "" ? null : Number.isNaN(Number(v)) ? v : Number(v));

/** Create or change one policy: who (the realm default or one client), block or log, requests per second, burst. */
const PolicyModal = ({ policy, clientIds, hasDefault, onSave, onDelete, onClose }: {
  policy?: RateLimitPolicy;
  clientIds: string[];
  hasDefault: boolean;
  onSave: (body: Record<string, unknown>) => Promise<void>;
  onDelete: () => Promise<void>;
  onClose: () => void;
}) => {
  const { t } = useTranslation();
  const initialClient = policy?.consumer_selector.startsWith(CLIENT_PREFIX)
    ? policy.consumer_selector.substring(CLIENT_PREFIX.length) : "";
  const [target, setTarget] = useState(policy ? (policy.consumer_selector === DEFAULT ? DEFAULT : "client") : hasDefault ? "client" : DEFAULT);
  const [client, setClient] = useState(initialClient);
  const [action, setAction] = useState<string>(policy?.action ?? "block");
  const [limit, setLimit] = useState(policy ? String(policy.limit) : "");
  const [burst, setBurst] = useState(policy && policy.burst !== policy.limit ? String(policy.burst) : "");
  const [error, setError] = useState<Error>();
  const at = errorField(error, ["consumer_selector", "action", "limit", "burst"]);
  const save = async () => {
    setError(undefined);
    try {
      await onSave({
        consumer_selector: target === DEFAULT ? DEFAULT : CLIENT_PREFIX + client,
        action,
        limit: toNumber(limit),
        burst: toNumber(burst),
      });
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Modal variant="small" isOpen onClose={onClose} title={policy ? t("m2mEditRateLimit") : t("m2mAddRateLimit")}
      actions={[
        <Button key="save" data-testid="m2m-rate-limit-save" onClick={save}
          isDisabled={(target === "client" && !client) || limit.trim() === ""}>{t("m2mSave")}</Button>,
        ...(policy ? [<Button key="delete" variant="danger" data-testid="m2m-rate-limit-delete" onClick={async () => {
          try { await onDelete(); } catch (e) { setError(e as Error); }
        }}>{t("m2mDelete")}</Button>] : []),
        <Button key="cancel" variant="link" onClick={onClose}>{t("m2mCancel")}</Button>,
      ]}>
      <Form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <FormGroup label={t("m2mRateLimitConsumer")} fieldId="m2m-rate-limit-target"
          labelIcon={<Help label={t("m2mRateLimitConsumer")} text={t("m2mRateLimitConsumerHelp")} />}>
          <FormSelect id="m2m-rate-limit-target" data-testid="m2m-rate-limit-target" value={target}
            onChange={(_e, v) => setTarget(v)} isDisabled={!!policy}>
            <FormSelectOption value="client" label={t("m2mRateLimitOneClient")} />
            <FormSelectOption value={DEFAULT} label={t("m2mRateLimitDefault")} isDisabled={hasDefault && policy?.consumer_selector !== DEFAULT} />
          </FormSelect>
          {at === "consumer_selector" && <ErrorAlert error={error} />}
        </FormGroup>
        {target === "client" && (
          <FormGroup label={t("m2mClientId")} fieldId="m2m-rate-limit-client" isRequired>
            <TextInput id="m2m-rate-limit-client" data-testid="m2m-rate-limit-client" value={client} list="m2m-rate-limit-clients"
              onChange={(_e, v) => setClient(v)} isDisabled={!!policy} />
            <datalist id="m2m-rate-limit-clients">{clientIds.map((c) => <option key={c} value={c} />)}</datalist>
          </FormGroup>
        )}
        <FormGroup label={t("m2mRateLimitAction")} fieldId="m2m-rate-limit-action"
          labelIcon={<Help label={t("m2mRateLimitAction")} text={t("m2mRateLimitActionHelp")} />}>
          <FormSelect id="m2m-rate-limit-action" data-testid="m2m-rate-limit-action" value={action} onChange={(_e, v) => setAction(v)}>
            <FormSelectOption value="block" label={t("m2mRateLimitBlock")} />
            <FormSelectOption value="log" label={t("m2mRateLimitLog")} />
          </FormSelect>
          {at === "action" && <ErrorAlert error={error} />}
        </FormGroup>
        <FormGroup label={t("m2mRateLimitLimit")} fieldId="m2m-rate-limit-limit" isRequired
          labelIcon={<Help label={t("m2mRateLimitLimit")} text={t("m2mRateLimitLimitHelp")} />}>
          <TextInput id="m2m-rate-limit-limit" data-testid="m2m-rate-limit-limit" type="number" value={limit}
            onChange={(_e, v) => setLimit(v)} />
          {at === "limit" && <ErrorAlert error={error} />}
        </FormGroup>
        <FormGroup label={t("m2mRateLimitBurst")} fieldId="m2m-rate-limit-burst"
          labelIcon={<Help label={t("m2mRateLimitBurst")} text={t("m2mRateLimitBurstHelp")} />}>
          <TextInput id="m2m-rate-limit-burst" data-testid="m2m-rate-limit-burst" type="number" value={burst}
            placeholder={t("m2mRateLimitBurstDefault")} onChange={(_e, v) => setBurst(v)} />
          {at === "burst" && <ErrorAlert error={error} />}
        </FormGroup>
        {error && !at && <ErrorAlert error={error} />}
      </Form>
    </Modal>
  );
};

/** Rate limits: the realm's rate-limit policies on the token endpoint (a client's own, else the realm default). */
export const RateLimitPolicies = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { adminClient } = useAdminClient();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [policies, setPolicies] = useState<RateLimitPolicy[]>();
  const [error, setError] = useState<Error>();
  const [editing, setEditing] = useState<{ policy?: RateLimitPolicy } | undefined>();
  const [clientIds, setClientIds] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const all: RateLimitPolicy[] = [];
      for (let page = 0; ; page++) {
        const p = await m2m<PolicyPage>("GET", `rate-limit-policies?include_totals=true&per_page=100&page=${page}`);
        all.push(...p.rate_limit_policies);
        if (p.rate_limit_policies.length === 0 || all.length >= p.total) break;
      }
      setPolicies(all);
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

  const hasDefault = !!policies?.some((p) => p.consumer_selector === DEFAULT);
  const done = () => {
    setEditing(undefined);
    toast("success", t("m2mSaved"));
    load();
  };

  return (
    <>
      {toasts}
      <PageHeader title={t("m2mRateLimits")} description={t("m2mRateLimitsIntro")} />
      <PageSection variant="light">
        {!canManage && <ReadOnlyNotice />}
        <ErrorAlert error={error} />
        <Toolbar>
          <ToolbarContent>
            {canManage && (
              <ToolbarItem>
                <Button data-testid="m2m-add-rate-limit" onClick={() => setEditing({})}>{t("m2mAddRateLimit")}</Button>
              </ToolbarItem>
            )}
            <ToolbarItem>
              <Button variant="secondary" data-testid="m2m-refresh" onClick={load}>{t("m2mRefresh")}</Button>
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <Table aria-label={t("m2mRateLimits")} variant="compact" data-testid="m2m-rate-limit-table">
          <Thead>
            <Tr>
              <Th>{t("m2mRateLimitConsumer")}</Th>
              <Th>{t("m2mRateLimitAction")}</Th>
              <Th>{t("m2mRateLimitLimit")}</Th>
              <Th>{t("m2mRateLimitBurst")}</Th>
              {canManage && <Th screenReaderText={t("m2mActions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {policies?.length === 0 && <Tr><Td colSpan={5}>{t("m2mNoRateLimits")}</Td></Tr>}
            {policies?.map((p) => {
              const client = p.consumer_selector.startsWith(CLIENT_PREFIX) ? p.consumer_selector.substring(CLIENT_PREFIX.length) : undefined;
              const key = client ?? DEFAULT;
              return (
                <Tr key={p.id} data-testid={`m2m-rate-limit-row-${key}`}>
                  <Td dataLabel={t("m2mRateLimitConsumer")}>
                    {client ? <Link to={toClientApis(realm, client)}>{client}</Link> : <Label color="purple">{t("m2mRateLimitDefault")}</Label>}
                  </Td>
                  <Td dataLabel={t("m2mRateLimitAction")}>
                    {p.action === "block" ? <Label color="red">{t("m2mRateLimitBlock")}</Label> : <Label>{t("m2mRateLimitLog")}</Label>}
                  </Td>
                  <Td dataLabel={t("m2mRateLimitLimit")} data-testid={`m2m-rate-limit-limit-${key}`}>{t("m2mPerSecond", { limit: p.limit })}</Td>
                  <Td dataLabel={t("m2mRateLimitBurst")}>{p.burst}</Td>
                  {canManage && (
                    <Td isActionCell>
                      <Button variant="link" data-testid={`m2m-edit-rate-limit-${key}`} onClick={() => setEditing({ policy: p })}>
                        {t("m2mEdit")}
                      </Button>
                    </Td>
                  )}
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </PageSection>
      {editing && (
        <PolicyModal
          policy={editing.policy}
          clientIds={clientIds}
          hasDefault={hasDefault}
          onClose={() => setEditing(undefined)}
          onSave={async (body) => {
            if (editing.policy) {
              await m2m("PATCH", `rate-limit-policies/${encodeURIComponent(editing.policy.id)}`,
                { action: body.action, limit: body.limit, burst: body.burst });
            } else {
              await m2m("POST", "rate-limit-policies", body);
            }
            done();
          }}
          onDelete={async () => {
            await m2m("DELETE", `rate-limit-policies/${encodeURIComponent(editing.policy!.id)}`);
            done();
          }}
        />
      )}
    </>
  );
};

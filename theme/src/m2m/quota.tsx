import {
  Button,
  Checkbox,
  Form,
  FormGroup,
  Modal,
  Progress,
  ProgressMeasureLocation,
  ProgressVariant,
  TextInput,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { QuotaLimits, UsageBucket } from "./api";
import { ErrorAlert, Help, errorField } from "./common";

/** Tokens used in the current window against the limit: "2 of 2". */
export const UsageBar = ({ bucket, testId }: { bucket: UsageBucket; testId?: string }) => {
  const { t } = useTranslation();
  if (bucket.quota === null) {
    return <span data-testid={testId}>{t("m2mUsedNoLimit", { used: bucket.used })}</span>;
  }
  const ratio = bucket.quota > 0 ? bucket.used / bucket.quota : 0;
  return (
    <Progress
      data-testid={testId}
      value={Math.min(100, ratio * 100)}
      title=""
      aria-label={t("m2mUsedOf", { used: bucket.used, quota: bucket.quota })}
      label={t("m2mUsedOf", { used: bucket.used, quota: bucket.quota })}
      valueText={t("m2mUsedOf", { used: bucket.used, quota: bucket.quota })}
      measureLocation={ProgressMeasureLocation.outside}
      variant={ratio >= 1 ? ProgressVariant.danger : ratio >= 0.8 ? ProgressVariant.warning : undefined}
      size="sm"
      style={{ minWidth: "12rem" }}
    />
  );
};

/** How close to its limit a client is (the fuller of its two buckets). */
export const closeness = (u: { per_hour: UsageBucket; per_day: UsageBucket }) =>
  Math.max(
    u.per_hour.quota ? u.per_hour.used / u.per_hour.quota : 0,
    u.per_day.quota ? u.per_day.used / u.per_day.quota : 0,
  );

const toNumber = (v: string) => (v.trim() === "" ? null : Number.isNaN(Number(v)) ? v : Number(v));

/** per hour / per day / enforce, as the admin types them; the server validates. */
export const QuotaFields = ({ value, onChange, disabled, error, prefix, idPrefix }: {
  value: { per_hour: string; per_day: string; enforce: boolean };
  onChange: (v: { per_hour: string; per_day: string; enforce: boolean }) => void;
  disabled: boolean;
  error?: Error;
  prefix: string;
  idPrefix: string;
}) => {
  const { t } = useTranslation();
  const at = errorField(error, [`${prefix}per_hour`, `${prefix}per_day`, `${prefix}enforce`]);
  return (
    <>
      <FormGroup label={t("m2mPerHour")} fieldId={`${idPrefix}-per-hour`}
        labelIcon={<Help label={t("m2mPerHour")} text={t("m2mPerHourHelp")} />}>
        <TextInput id={`${idPrefix}-per-hour`} data-testid={`${idPrefix}-per-hour`} type="number" value={value.per_hour}
          placeholder={t("m2mNoLimit")} isDisabled={disabled} onChange={(_e, v) => onChange({ ...value, per_hour: v })} />
        {at === `${prefix}per_hour` && <ErrorAlert error={error} />}
      </FormGroup>
      <FormGroup label={t("m2mPerDay")} fieldId={`${idPrefix}-per-day`}
        labelIcon={<Help label={t("m2mPerDay")} text={t("m2mPerDayHelp")} />}>
        <TextInput id={`${idPrefix}-per-day`} data-testid={`${idPrefix}-per-day`} type="number" value={value.per_day}
          placeholder={t("m2mNoLimit")} isDisabled={disabled} onChange={(_e, v) => onChange({ ...value, per_day: v })} />
        {at === `${prefix}per_day` && <ErrorAlert error={error} />}
      </FormGroup>
      <FormGroup fieldId={`${idPrefix}-enforce`}>
        <Checkbox id={`${idPrefix}-enforce`} data-testid={`${idPrefix}-enforce`} label={t("m2mEnforce")}
          description={t("m2mEnforceHelp")} isChecked={value.enforce} isDisabled={disabled}
          onChange={(_e, v) => onChange({ ...value, enforce: v })} />
      </FormGroup>
    </>
  );
};

export const quotaInput = (q?: QuotaLimits | null) => ({
  per_hour: q?.per_hour != null ? String(q.per_hour) : "",
  per_day: q?.per_day != null ? String(q.per_day) : "",
  enforce: q?.enforce ?? true,
});

export const quotaBody = (v: { per_hour: string; per_day: string; enforce: boolean }) => ({
  per_hour: toNumber(v.per_hour),
  per_day: toNumber(v.per_day),
  enforce: v.enforce,
});

/** Set, change or remove one client's own quota. */
export const QuotaModal = ({ clientId, initial, hasOwn, onSave, onRemove, onClose, clientIds }: {
  clientId?: string;
  initial?: QuotaLimits | null;
  hasOwn: boolean;
  onSave: (clientId: string, body: ReturnType<typeof quotaBody>) => Promise<void>;
  onRemove: (clientId: string) => Promise<void>;
  onClose: () => void;
  clientIds?: string[];
}) => {
  const { t } = useTranslation();
  const [client, setClient] = useState(clientId ?? "");
  const [value, setValue] = useState(quotaInput(initial));
  const [error, setError] = useState<Error>();
  const at = errorField(error, ["client_credentials.per_hour", "client_credentials.per_day", "client_credentials.enforce"]);
  const save = async () => {
    setError(undefined);
    try {
      await onSave(client, quotaBody(value));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Modal variant="small" isOpen onClose={onClose} title={clientId ? t("m2mQuotaOf", { client: clientId }) : t("m2mSetQuota")}
      actions={[
        <Button key="save" data-testid="m2m-quota-save" onClick={save} isDisabled={!client}>{t("m2mSave")}</Button>,
        ...(hasOwn ? [<Button key="remove" variant="danger" data-testid="m2m-quota-remove" onClick={async () => {
          try { await onRemove(client); } catch (e) { setError(e as Error); }
        }}>{t("m2mRemoveQuota")}</Button>] : []),
        <Button key="cancel" variant="link" onClick={onClose}>{t("m2mCancel")}</Button>,
      ]}>
      <Form onSubmit={(e) => { e.preventDefault(); save(); }}>
        {!clientId && (
          <FormGroup label={t("m2mClientId")} fieldId="m2m-quota-client" isRequired>
            <TextInput id="m2m-quota-client" data-testid="m2m-quota-client" value={client} list="m2m-quota-clients"
              onChange={(_e, v) => setClient(v)} />
            <datalist id="m2m-quota-clients">{clientIds?.map((c) => <option key={c} value={c} />)}</datalist>
          </FormGroup>
        )}
        <QuotaFields value={value} onChange={setValue} disabled={false} error={error} prefix="client_credentials." idPrefix="m2m-quota" />
        {error && !at && <ErrorAlert error={error} />}
      </Form>
    </Modal>
  );
};

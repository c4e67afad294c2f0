import { ActionGroup, Button, Form, Title } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Settings, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, errorField, useToasts } from "./common";
import { QuotaFields, quotaBody, quotaInput } from "./quota";

const PREFIX = "default_token_quota.clients.client_credentials.";

/** The realm default (Auth0's default_token_quota): for every client without a quota of its own. */
export const DefaultQuota = ({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) => {
  const { t } = useTranslation();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [value, setValue] = useState(quotaInput(settings.default_token_quota?.clients?.client_credentials));
  const [error, setError] = useState<Error>();
  const at = errorField(error, [`${PREFIX}per_hour`, `${PREFIX}per_day`, `${PREFIX}enforce`]);

  const save = async (remove: boolean) => {
    setError(undefined);
    try {
      const saved = await m2m<Settings>("PATCH", "settings", {
        // only the clients' part: the organizations' default (set through the REST API) stays
        default_token_quota: { clients: remove ? null : { client_credentials: quotaBody(value) } },
      });
      setValue(quotaInput(saved.default_token_quota?.clients?.client_credentials));
      onSaved(saved);
      toast("success", t("m2mSaved"));
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <>
      {toasts}
      <Title headingLevel="h2" size="lg" className="pf-v5-u-mb-sm">
        {t("m2mDefaultQuota")} <Help label={t("m2mDefaultQuota")} text={t("m2mDefaultQuotaHelp")} />
      </Title>
      <Form isWidthLimited onSubmit={(e) => { e.preventDefault(); save(false); }} data-testid="m2m-default-quota">
        <QuotaFields value={value} onChange={setValue} disabled={!canManage} error={error} prefix={PREFIX} idPrefix="m2m-default-quota" />
        {error && !at && <ErrorAlert error={error} />}
        {canManage && (
          <ActionGroup>
            <Button type="submit" data-testid="m2m-default-quota-save">{t("m2mSave")}</Button>
            {settings.default_token_quota?.clients && (
              <Button variant="secondary" data-testid="m2m-default-quota-remove" onClick={() => save(true)}>{t("m2mRemoveDefaultQuota")}</Button>
            )}
          </ActionGroup>
        )}
      </Form>
    </>
  );
};

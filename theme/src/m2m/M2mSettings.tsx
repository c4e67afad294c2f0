import {
  ActionGroup,
  Button,
  Divider,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  PageSection,
} from "@patternfly/react-core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ResourceServer, Settings, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, PageHeader, ReadOnlyNotice, errorField, useToasts } from "./common";
import { DefaultQuota } from "./DefaultQuota";

type ApiPage = { total: number; resource_servers: ResourceServer[] };

/** The realm's M2M settings: default audience (picked from the APIs), error style, default quota. */
export const M2mSettings = () => {
  const { t } = useTranslation();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [settings, setSettings] = useState<Settings>();
  const [apis, setApis] = useState<ResourceServer[]>([]);
  const [audience, setAudience] = useState("");
  const [style, setStyle] = useState("rfc");
  const [error, setError] = useState<Error>();
  const at = errorField(error, ["default_audience", "error_style"]);

  useEffect(() => {
    m2m<Settings>("GET", "settings")
      .then((s) => {
        setSettings(s);
        setAudience(s.default_audience ?? "");
        setStyle(s.error_style);
      })
      .catch(setError);
    m2m<ApiPage>("GET", "resource-servers?include_totals=true&per_page=100")
      .then((p) => setApis(p.resource_servers))
      .catch(setError);
  }, [m2m]);

  const save = async () => {
    setError(undefined);
    try {
      const s = await m2m<Settings>("PATCH", "settings", { default_audience: audience || null, error_style: style });
      setSettings(s);
      toast("success", t("m2mSaved"));
    } catch (e) {
      setError(e as Error);
    }
  };

  const known = apis.some((a) => a.identifier === audience);
  return (
    <>
      {toasts}
      <PageHeader title={t("m2mSettings")} description={t("m2mSettingsIntro")} />
      <PageSection variant="light">
        {!canManage && <ReadOnlyNotice />}
        {settings && (
          <Form isWidthLimited onSubmit={(e) => { e.preventDefault(); save(); }}>
            <FormGroup label={t("m2mDefaultAudience")} fieldId="m2m-default-audience"
              labelIcon={<Help label={t("m2mDefaultAudience")} text={t("m2mDefaultAudienceHelp")} />}>
              <FormSelect id="m2m-default-audience" data-testid="m2m-default-audience" value={audience}
                onChange={(_e, v) => setAudience(v)} isDisabled={!canManage}>
                <FormSelectOption value="" label={t("m2mNoDefaultAudience")} />
                {audience && !known && <FormSelectOption value={audience} label={audience} />}
                {apis.map((a) => <FormSelectOption key={a.id} value={a.identifier} label={`${a.name} (${a.identifier})`} />)}
              </FormSelect>
              {at === "default_audience" && <ErrorAlert error={error} />}
            </FormGroup>
            <FormGroup label={t("m2mErrorStyle")} fieldId="m2m-error-style"
              labelIcon={<Help label={t("m2mErrorStyle")} text={t("m2mErrorStyleHelp")} />}>
              <FormSelect id="m2m-error-style" data-testid="m2m-error-style" value={style}
                onChange={(_e, v) => setStyle(v)} isDisabled={!canManage}>
                <FormSelectOption value="rfc" label={t("m2mErrorStyleRfc")} />
                <FormSelectOption value="auth0" label={t("m2mErrorStyleAuth0")} />
              </FormSelect>
              {at === "error_style" && <ErrorAlert error={error} />}
            </FormGroup>
            {error && !at && <ErrorAlert error={error} />}
            {canManage && (
              <ActionGroup>
                <Button type="submit" data-testid="m2m-save">{t("m2mSave")}</Button>
              </ActionGroup>
            )}
          </Form>
        )}
      </PageSection>
      <Divider />
      <PageSection variant="light">
        {settings && <DefaultQuota settings={settings} onSaved={setSettings} />}
      </PageSection>
    </>
  );
};

import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  PageSection,
  TextInput,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { M2mError, ResourceServer, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, PageHeader, ReadOnlyNotice, errorField } from "./common";
import { toApi, toApis } from "./paths";

const FIELDS = ["name", "identifier", "token_lifetime"];

/** Create an API: name, identifier (the audience; cannot change later), token lifetime. */
export const CreateApi = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const m2m = useM2m();
  const canManage = useCanManage();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [identifier, setIdentifier] = useState("");
  const [lifetime, setLifetime] = useState("86400");
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState(false);
  const at = errorField(error, FIELDS);

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const lifetimeNumber = Number(lifetime);
      const api = await m2m<ResourceServer>("POST", "resource-servers", {
        name,
        identifier,
        token_lifetime: lifetime.trim() === "" || Number.isNaN(lifetimeNumber) ? lifetime : lifetimeNumber,
      });
      navigate(toApi(realm, api.id, "permissions"));
    } catch (e) {
      setError(e as M2mError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader title={t("m2mCreateApi")} description={t("m2mCreateApiIntro")} />
      <PageSection variant="light">
        {!canManage && <ReadOnlyNotice />}
        <Form isWidthLimited onSubmit={(e) => { e.preventDefault(); save(); }}>
          <FormGroup label={t("m2mName")} fieldId="m2m-name" isRequired
            labelIcon={<Help label={t("m2mName")} text={t("m2mNameHelp")} />}>
            <TextInput id="m2m-name" data-testid="m2m-name" value={name} onChange={(_e, v) => setName(v)} isDisabled={!canManage} />
            {at === "name" && <ErrorAlert error={error} />}
          </FormGroup>
          <FormGroup label={t("m2mIdentifier")} fieldId="m2m-identifier" isRequired
            labelIcon={<Help label={t("m2mIdentifier")} text={t("m2mIdentifierHelp")} />}>
            <TextInput id="m2m-identifier" data-testid="m2m-identifier" value={identifier} placeholder="https://api.example.com/orders"
              onChange={(_e, v) => setIdentifier(v)} isDisabled={!canManage} />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("m2mIdentifierFixed")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
            {at === "identifier" && <ErrorAlert error={error} />}
          </FormGroup>
          <FormGroup label={t("m2mTokenLifetime")} fieldId="m2m-token-lifetime"
            labelIcon={<Help label={t("m2mTokenLifetime")} text={t("m2mTokenLifetimeHelp")} />}>
            <TextInput id="m2m-token-lifetime" data-testid="m2m-token-lifetime" type="number" value={lifetime}
              onChange={(_e, v) => setLifetime(v)} isDisabled={!canManage} />
            {at === "token_lifetime" && <ErrorAlert error={error} />}
          </FormGroup>
          {error && !at && <ErrorAlert error={error} />}
          <ActionGroup>
            {canManage && (
              <Button type="submit" data-testid="m2m-save" isLoading={saving} isDisabled={saving}>
                {t("m2mCreate")}
              </Button>
            )}
            <Button variant="link" onClick={() => navigate(toApis(realm))}>
              {t("m2mCancel")}
            </Button>
          </ActionGroup>
        </Form>
      </PageSection>
    </>
  );
};

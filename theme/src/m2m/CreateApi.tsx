import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  Form,
  FormHelperText,
  HelperText,
  HelperTextItem,
  PageSection,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { M2mError, ResourceServer, useCanManage, useM2m } from "./api";
import { ErrorAlert, PageHeader, ReadOnlyNotice, TextField, errorField } from "./common";
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
          <TextField id="m2m-name" label="m2mName" field="name" isRequired value={name} onChange={setName}
            disabled={!canManage} error={error} at={at} />
          <TextField id="m2m-identifier" label="m2mIdentifier" field="identifier" isRequired value={identifier}
            placeholder="https://api.example.com/orders" onChange={setIdentifier} disabled={!canManage} error={error} at={at}>
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("m2mIdentifierFixed")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </TextField>
          <TextField id="m2m-token-lifetime" label="m2mTokenLifetime" field="token_lifetime" type="number" value={lifetime}
            onChange={setLifetime} disabled={!canManage} error={error} at={at} />
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

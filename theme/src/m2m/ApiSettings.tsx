import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  ClipboardCopy,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  TextInput,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { ResourceServer, enc, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, ReadOnlyNotice, TextField, errorField, useToasts } from "./common";
import { toApis } from "./paths";

const ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const DIALECTS = ["access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz"];
const POLICIES = ["require_client_grant", "deny_all"];
const FIELDS = ["name", "token_lifetime", "signing_alg", "token_dialect", "subject_type_authorization"];

export const ApiSettings = ({ api, onSaved }: { api: ResourceServer; onSaved: (api: ResourceServer) => void }) => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const m2m = useM2m();
  const canManage = useCanManage();
  const navigate = useNavigate();
  const [toasts, toast] = useToasts();
  const [name, setName] = useState(api.name);
  const [lifetime, setLifetime] = useState(String(api.token_lifetime));
  const [alg, setAlg] = useState(api.signing_alg);
  const [dialect, setDialect] = useState(api.token_dialect);
  const [policy, setPolicy] = useState(api.subject_type_authorization.client.policy);
  const [error, setError] = useState<Error>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const at = errorField(error, FIELDS);

  const save = async () => {
    setError(undefined);
    try {
      const n = Number(lifetime);
      const saved = await m2m<ResourceServer>("PATCH", `resource-servers/${enc(api.id)}`, {
        name,
        token_lifetime: lifetime.trim() === "" || Number.isNaN(n) ? lifetime : n,
        signing_alg: alg,
        token_dialect: dialect,
        subject_type_authorization: { client: { policy } },
      });
      onSaved(saved);
      toast("success", t("m2mSaved"));
    } catch (e) {
      setError(e as Error);
    }
  };

  const remove = async () => {
    try {
      await m2m("DELETE", `resource-servers/${enc(api.id)}`);
      navigate(toApis(realm));
    } catch (e) {
      setConfirmDelete(false);
      setError(e as Error);
    }
  };

  return (
    <>
      {toasts}
      {!canManage && <ReadOnlyNotice />}
      <Form isWidthLimited onSubmit={(e) => { e.preventDefault(); save(); }}>
        <FormGroup label={t("m2mIdentifier")} fieldId="m2m-identifier"
          labelIcon={<Help label={t("m2mIdentifier")} text={t("m2mIdentifierHelp")} />}>
          <ClipboardCopy isReadOnly hoverTip={t("m2mCopy")} clickTip={t("m2mCopied")} data-testid="m2m-identifier-readonly">
            {api.identifier}
          </ClipboardCopy>
        </FormGroup>
        <FormGroup label={t("m2mId")} fieldId="m2m-id" labelIcon={<Help label={t("m2mId")} text={t("m2mIdHelp")} />}>
          <TextInput id="m2m-id" value={api.id} readOnlyVariant="default" />
        </FormGroup>
        <TextField id="m2m-name" label="m2mName" field="name" isRequired value={name} onChange={setName}
          disabled={!canManage} error={error} at={at} />
        <TextField id="m2m-token-lifetime" label="m2mTokenLifetime" field="token_lifetime" type="number" value={lifetime}
          onChange={setLifetime} disabled={!canManage} error={error} at={at} />
        <FormGroup label={t("m2mSigningAlg")} fieldId="m2m-signing-alg"
          labelIcon={<Help label={t("m2mSigningAlg")} text={t("m2mSigningAlgHelp")} />}>
          <FormSelect id="m2m-signing-alg" value={alg} onChange={(_e, v) => setAlg(v)} isDisabled={!canManage}>
            {ALGS.map((a) => <FormSelectOption key={a} value={a} label={a} />)}
          </FormSelect>
          {at === "signing_alg" && <ErrorAlert error={error} />}
        </FormGroup>
        <FormGroup label={t("m2mTokenDialect")} fieldId="m2m-token-dialect"
          labelIcon={<Help label={t("m2mTokenDialect")} text={t("m2mTokenDialectHelp")} />}>
          <FormSelect id="m2m-token-dialect" value={dialect} onChange={(_e, v) => setDialect(v)} isDisabled={!canManage}>
            {DIALECTS.map((d) => <FormSelectOption key={d} value={d} label={t(`m2mDialect_${d}`)} />)}
          </FormSelect>
          {at === "token_dialect" && <ErrorAlert error={error} />}
        </FormGroup>
        <FormGroup label={t("m2mClientPolicy")} fieldId="m2m-client-policy"
          labelIcon={<Help label={t("m2mClientPolicy")} text={t("m2mClientPolicyHelp")} />}>
          <FormSelect id="m2m-client-policy" value={policy} onChange={(_e, v) => setPolicy(v)} isDisabled={!canManage}>
            {POLICIES.map((p) => <FormSelectOption key={p} value={p} label={t(`m2mPolicy_${p}`)} />)}
          </FormSelect>
          {at === "subject_type_authorization" && <ErrorAlert error={error} />}
        </FormGroup>
        {error && !at && <ErrorAlert error={error} />}
        {canManage && (
          <ActionGroup>
            <Button type="submit" data-testid="m2m-save">{t("m2mSave")}</Button>
            <Button variant="danger" data-testid="m2m-delete-api" onClick={() => setConfirmDelete(true)}>{t("m2mDeleteApi")}</Button>
          </ActionGroup>
        )}
      </Form>
      <Modal variant="small" title={t("m2mDeleteApiConfirmTitle")} isOpen={confirmDelete} onClose={() => setConfirmDelete(false)}
        actions={[
          <Button key="ok" variant="danger" data-testid="m2m-confirm" onClick={remove}>{t("m2mDelete")}</Button>,
          <Button key="cancel" variant="link" onClick={() => setConfirmDelete(false)}>{t("m2mCancel")}</Button>,
        ]}>
        {t("m2mDeleteApiConfirm", { name: api.name })}
      </Modal>
    </>
  );
};

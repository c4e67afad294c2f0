import {
  Button,
  Form,
  FormGroup,
  List,
  ListItem,
  Modal,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ClientGrant, ResourceServer, Scope, allGrants, enc, useCanManage, useM2m } from "./api";
import { ErrorAlert, Help, ReadOnlyNotice, useToasts } from "./common";

/** The API's permissions (Auth0's name; OAuth scopes): add, edit the description, remove. */
export const ApiPermissions = ({ api, onSaved }: { api: ResourceServer; onSaved: (api: ResourceServer) => void }) => {
  const { t } = useTranslation();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [value, setValue] = useState("");
  const [description, setDescription] = useState("");
  const [editing, setEditing] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error>();
  const [removing, setRemoving] = useState<{ scope: Scope; grants: ClientGrant[] }>();

  const saveScopes = async (scopes: Scope[]) => {
    setError(undefined);
    try {
      const saved = await m2m<ResourceServer>("PATCH", `resource-servers/${enc(api.id)}`, { scopes });
      onSaved(saved);
      toast("success", t("m2mSaved"));
      return true;
    } catch (e) {
      setError(e as Error);
      return false;
    }
  };

  const add = async () => {
    if (await saveScopes([...api.scopes, { value: value.trim(), description }])) {
      setValue("");
      setDescription("");
    }
  };

  const askRemove = async (scope: Scope) => {
    try {
      const grants = (await allGrants(m2m, { audience: api.identifier })).filter((g) => g.scope.includes(scope.value));
      setRemoving({ scope, grants });
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <>
      {toasts}
      {!canManage && <ReadOnlyNotice />}
      {canManage && (
        <Form onSubmit={(e) => { e.preventDefault(); add(); }}>
          <Toolbar>
            <ToolbarContent>
              <ToolbarItem>
                <FormGroup label={t("m2mPermission")} fieldId="m2m-scope-value"
                  labelIcon={<Help label={t("m2mPermission")} text={t("m2mPermissionHelp")} />}>
                  <TextInput id="m2m-scope-value" data-testid="m2m-scope-value" placeholder="read:orders" value={value}
                    onChange={(_e, v) => setValue(v)} />
                </FormGroup>
              </ToolbarItem>
              <ToolbarItem>
                <FormGroup label={t("m2mDescription")} fieldId="m2m-scope-description"
                  labelIcon={<Help label={t("m2mDescription")} text={t("m2mScopeDescriptionHelp")} />}>
                  <TextInput id="m2m-scope-description" data-testid="m2m-scope-description" value={description}
                    onChange={(_e, v) => setDescription(v)} />
                </FormGroup>
              </ToolbarItem>
              <ToolbarItem alignSelf="baseline">
                <Button type="submit" data-testid="m2m-add-scope" isDisabled={!value.trim()}>{t("m2mAddPermission")}</Button>
              </ToolbarItem>
            </ToolbarContent>
          </Toolbar>
        </Form>
      )}
      <ErrorAlert error={error} />
      <Table aria-label={t("m2mTabPermissions")} variant="compact" data-testid="m2m-scopes-table">
        <Thead>
          <Tr>
            <Th>{t("m2mPermission")}</Th>
            <Th>{t("m2mDescription")}</Th>
            {canManage && <Th screenReaderText={t("m2mActions")} />}
          </Tr>
        </Thead>
        <Tbody>
          {api.scopes.length === 0 && (
            <Tr><Td colSpan={3}>{t("m2mNoPermissions")}</Td></Tr>
          )}
          {api.scopes.map((s) => (
            <Tr key={s.value} data-testid={`m2m-scope-${s.value}`}>
              <Td dataLabel={t("m2mPermission")}><code>{s.value}</code></Td>
              <Td dataLabel={t("m2mDescription")}>
                {editing[s.value] !== undefined ? (
                  <TextInput aria-label={t("m2mDescription")} value={editing[s.value]}
                    onChange={(_e, v) => setEditing({ ...editing, [s.value]: v })} />
                ) : (
                  s.description
                )}
              </Td>
              {canManage && (
                <Td isActionCell>
                  {editing[s.value] !== undefined ? (
                    <>
                      <Button variant="link" onClick={async () => {
                        const scopes = api.scopes.map((x) => x.value === s.value ? { ...x, description: editing[s.value] } : x);
                        if (await saveScopes(scopes)) {
                          const { [s.value]: _, ...rest } = editing;
                          setEditing(rest);
                        }
                      }}>{t("m2mSave")}</Button>
                      <Button variant="link" onClick={() => { const { [s.value]: _, ...rest } = editing; setEditing(rest); }}>
                        {t("m2mCancel")}
                      </Button>
                    </>
                  ) : (
                    <>
                      <Button variant="link" onClick={() => setEditing({ ...editing, [s.value]: s.description })}>{t("m2mEdit")}</Button>
                      <Button variant="link" isDanger data-testid={`m2m-remove-scope-${s.value}`} onClick={() => askRemove(s)}>
                        {t("m2mRemove")}
                      </Button>
                    </>
                  )}
                </Td>
              )}
            </Tr>
          ))}
        </Tbody>
      </Table>
      <Modal variant="small" title={t("m2mRemovePermissionTitle", { scope: removing?.scope.value })} isOpen={!!removing}
        onClose={() => setRemoving(undefined)}
        actions={[
          <Button key="ok" variant="danger" data-testid="m2m-confirm" onClick={async () => {
            const scope = removing!.scope;
            setRemoving(undefined);
            await saveScopes(api.scopes.filter((x) => x.value !== scope.value));
          }}>{t("m2mRemove")}</Button>,
          <Button key="cancel" variant="link" onClick={() => setRemoving(undefined)}>{t("m2mCancel")}</Button>,
        ]}>
        {removing && removing.grants.length === 0 && t("m2mRemovePermissionNoGrants")}
        {removing && removing.grants.length > 0 && (
          <>
            {t("m2mRemovePermissionGrants", { count: removing.grants.length })}
            <List data-testid="m2m-affected-grants">
              {removing.grants.map((g) => <ListItem key={g.id}>{g.client_id}</ListItem>)}
            </List>
          </>
        )}
      </Modal>
    </>
  );
};

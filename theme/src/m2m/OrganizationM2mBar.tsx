import { Button, Flex, FlexItem, Label, LabelGroup, PageSection } from "@patternfly/react-core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { ClientGrant, UsageBucket, useCanManage, useM2m } from "./api";
import { useToasts } from "./common";
import { QuotaModal, UsageBar } from "./quota";

type OrgUsage = {
  organization_id: string;
  quota_source: "organization" | "realm_default" | null;
  enforce: boolean | null;
  per_hour: UsageBucket;
  per_day: UsageBucket;
};
type GrantPage = { total: number; client_grants: ClientGrant[] };

/**
 * On Keycloak's own organization page (no extension point for tabs): the client grants the organization is associated
 * with (client → API) and its token quota with this window's usage; manage-realm sets or removes its own quota here.
 */
export const OrganizationM2mBar = () => {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const m2m = useM2m();
  const canManage = useCanManage();
  const [toasts, toast] = useToasts();
  const [state, setState] = useState<{ grants: ClientGrant[]; usage: OrgUsage }>();
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    const grants = await m2m<GrantPage>("GET", `organizations/${encodeURIComponent(id!)}/client-grants?include_totals=true&per_page=100`);
    const usage = await m2m<OrgUsage>("GET", `organizations/${encodeURIComponent(id!)}/token-usage`);
    setState({ grants: grants.client_grants, usage });
  }, [m2m, id]);
  useEffect(() => {
    load().catch(() => setState(undefined)); // no view-realm, or organizations off: Keycloak's page alone
  }, [load]);

  if (!state) return null;
  const { grants, usage } = state;
  const own = usage.quota_source === "organization";
  return (
    <PageSection variant="light" className="pf-v5-u-py-sm" data-testid="m2m-organization-bar">
      {toasts}
      <div>
        <strong>{t("m2mOrganizationGrants")}:</strong>{" "}
        {grants.length === 0 ? t("m2mOrganizationNoGrants") : (
          <LabelGroup numLabels={5} className="pf-v5-u-ml-sm">
            {grants.map((g) => <Label key={g.id} isCompact>{`${g.client_id} → ${g.audience}`}</Label>)}
          </LabelGroup>
        )}
      </div>
      <Flex className="pf-v5-u-mt-sm" alignItems={{ default: "alignItemsCenter" }} spaceItems={{ default: "spaceItemsMd" }}
        data-testid="m2m-organization-quota">
        <FlexItem>
          <strong>{t("m2mOrganizationQuota")}:</strong>{" "}
          {usage.quota_source === null ? t("m2mSourceNone") : own ? t("m2mSourceOrganization") : t("m2mSourceDefault")}
        </FlexItem>
        {usage.quota_source !== null && (
          <>
            <FlexItem>{t("m2mPerHour")}</FlexItem>
            <FlexItem style={{ width: "18rem" }}><UsageBar bucket={usage.per_hour} testId="m2m-organization-usage-hour" /></FlexItem>
            <FlexItem>{t("m2mPerDay")}</FlexItem>
            <FlexItem style={{ width: "18rem" }}><UsageBar bucket={usage.per_day} testId="m2m-organization-usage-day" /></FlexItem>
          </>
        )}
        {canManage && (
          <FlexItem>
            <Button variant="link" isInline data-testid="m2m-organization-set-quota" onClick={() => setEditing(true)}>
              {own ? t("m2mEditQuota") : t("m2mSetQuota")}
            </Button>
          </FlexItem>
        )}
      </Flex>
      {editing && (
        <QuotaModal
          clientId={t("m2mThisOrganization")}
          hasOwn={own}
          initial={own ? { per_hour: usage.per_hour.quota, per_day: usage.per_day.quota, enforce: !!usage.enforce } : undefined}
          onClose={() => setEditing(false)}
          onSave={async (_label, body) => {
            await m2m("PUT", `organizations/${encodeURIComponent(id!)}/token-quota`, { client_credentials: body });
            setEditing(false);
            toast("success", t("m2mSaved"));
            await load();
          }}
          onRemove={async () => {
            await m2m("DELETE", `organizations/${encodeURIComponent(id!)}/token-quota`);
            setEditing(false);
            toast("success", t("m2mSaved"));
            await load();
          }}
        />
      )}
    </PageSection>
  );
};

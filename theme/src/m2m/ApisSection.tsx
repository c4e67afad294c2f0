import { useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  EmptyState,
  EmptyStateBody,
  PageSection,
  Pagination,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { ResourceServer, useCanManage, useM2m } from "./api";
import { ErrorAlert, PageHeader, ReadOnlyNotice } from "./common";
import { toApi } from "./paths";

type ApiPage = { start: number; limit: number; total: number; resource_servers: ResourceServer[] };

/** Configure > APIs: the realm's APIs, searched and paged by the server (usable with 10,000 APIs). */
export const ApisSection = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const m2m = useM2m();
  const canManage = useCanManage();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(10);
  const [data, setData] = useState<ApiPage>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    const params = new URLSearchParams({ include_totals: "true", page: String(page), per_page: String(perPage) });
    if (query) params.set("q", query);
    m2m<ApiPage>("GET", `resource-servers?${params}`)
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch(setError);
  }, [m2m, query, page, perPage]);

  return (
    <>
      <PageHeader title={t("m2mApis")} description={t("m2mApisIntro")} />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <SearchInput className="m2m-find"
                placeholder={t("m2mSearchApis")}
                aria-label={t("m2mSearchApis")}
                data-testid="m2m-api-search"
                value={search}
                onChange={(_e, v) => setSearch(v)}
                onSearch={(_e, v) => {
                  setPage(0);
                  setQuery(v);
                }}
                onClear={() => {
                  setSearch("");
                  setPage(0);
                  setQuery("");
                }}
              />
            </ToolbarItem>
            {canManage && (
              <ToolbarItem>
                <Button data-testid="m2m-create-api" onClick={() => navigate(`/${encodeURIComponent(realm)}/m2m/apis/new`)}>
                  {t("m2mCreateApi")}
                </Button>
              </ToolbarItem>
            )}
            <ToolbarItem variant="pagination" align={{ default: "alignRight" }}>
              <Pagination
                itemCount={data?.total ?? 0}
                page={page + 1}
                perPage={perPage}
                perPageOptions={[10, 20, 50, 100].map((n) => ({ title: String(n), value: n }))}
                onSetPage={(_e, p) => setPage(p - 1)}
                onPerPageSelect={(_e, n) => {
                  setPage(0);
                  setPerPage(n);
                }}
                isCompact
                titles={{
                  ofWord: t("m2mOf"),
                  perPageSuffix: t("m2mPerPage"),
                  toNextPageAriaLabel: t("m2mNextPage"),
                  toPreviousPageAriaLabel: t("m2mPreviousPage"),
                }}
              />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {!canManage && <div className="pf-v5-u-px-md"><ReadOnlyNotice /></div>}
        <ErrorAlert error={error} />
        {data && data.resource_servers.length === 0 ? (
          <EmptyState>
            <EmptyStateBody>{query ? t("m2mNoApisFound") : t("m2mNoApis")}</EmptyStateBody>
          </EmptyState>
        ) : (
          <Table aria-label={t("m2mApis")} variant="compact" data-testid="m2m-apis-table">
            <Thead>
              <Tr>
                <Th>{t("m2mName")}</Th>
                <Th>{t("m2mIdentifier")}</Th>
                <Th>{t("m2mPermissions")}</Th>
                <Th>{t("m2mTokenLifetime")}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {data?.resource_servers.map((api) => (
                <Tr key={api.id}>
                  <Td dataLabel={t("m2mName")}>
                    <Link to={toApi(realm, api.id)}>{api.name}</Link>
                  </Td>
                  <Td dataLabel={t("m2mIdentifier")}>
                    <code>{api.identifier}</code>
                  </Td>
                  <Td dataLabel={t("m2mPermissions")}>{api.scopes.length}</Td>
                  <Td dataLabel={t("m2mTokenLifetime")}>{t("m2mSeconds", { count: api.token_lifetime })}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </PageSection>
    </>
  );
};

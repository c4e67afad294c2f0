import {
  Alert,
  AlertActionCloseButton,
  AlertGroup,
  Button,
  FormGroup,
  PageSection,
  Popover,
  Text,
  TextContent,
  TextInput,
  Title,
} from "@patternfly/react-core";
import { HelpIcon } from "@patternfly/react-icons";
import { ReactNode, useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { M2mError } from "./api";

/** The (?) next to a label: what the field does, and what Auth0 calls it. */
export const Help = ({ text, label }: { text: string; label: string }) => {
  const { t } = useTranslation();
  return (
    <Popover bodyContent={text} aria-label={t("m2mHelpFor", { field: label })}>
      <Button
        variant="plain"
        aria-label={t("m2mHelpFor", { field: label })}
        className="pf-v5-c-form__group-label-help"
        onClick={(e) => e.preventDefault()}
      >
        <HelpIcon />
      </Button>
    </Popover>
  );
};

export const PageHeader = ({ title, description, children }: { title: string; description?: string; children?: ReactNode }) => (
  <PageSection variant="light">
    <TextContent>
      <Title headingLevel="h1" data-testid="m2m-page-title">
        {title}
      </Title>
      {description && <Text>{description}</Text>}
    </TextContent>
    {children}
  </PageSection>
);

export const ReadOnlyNotice = () => {
  const { t } = useTranslation();
  return (
    <Alert variant="info" isInline isPlain title={t("m2mReadOnly")} data-testid="m2m-read-only" className="pf-v5-u-mb-md" />
  );
};

type Toast = { key: number; variant: "success" | "danger"; title: string };

/** Success and failure notices of a page (top right, like Keycloak's own). */
export function useToasts(): [ReactNode, (variant: Toast["variant"], title: string) => void] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const add = useCallback((variant: Toast["variant"], title: string) => {
    const key = Date.now() + Math.random();
    setToasts((ts) => [...ts, { key, variant, title }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.key !== key)), 8000);
  }, []);
  const element = (
    <AlertGroup isToast isLiveRegion>
      {toasts.map((x) => (
        <Alert
          key={x.key}
          variant={x.variant}
          title={x.title}
          data-testid={`m2m-toast-${x.variant}`}
          actionClose={<AlertActionCloseButton onClose={() => setToasts((ts) => ts.filter((y) => y.key !== x.key))} />}
        />
      ))}
    </AlertGroup>
  );
  return [element, add];
}

/** A refused request, shown next to the field it concerns. */
export const ErrorAlert = ({ error, field }: { error?: M2mError | Error; field?: string }) => {
  const { t } = useTranslation();
  if (!error) return null;
  if (field !== undefined && error instanceof M2mError && error.field !== undefined && error.field !== field) {
    return null;
  }
  const title =
    error instanceof M2mError && error.status === 403 ? t("m2mForbidden") : t("m2mRefused");
  return (
    <Alert variant="danger" isInline title={title} data-testid="m2m-error" className="pf-v5-u-mt-sm">
      {error.message}
    </Alert>
  );
};

/** Which field an error belongs to, so that it is shown once (at the field, or at the form when none). */
export function errorField(error: unknown, fields: string[]): string | undefined {
  if (error instanceof M2mError && error.field && fields.some((f) => error.field === f || error.field!.startsWith(f + "[") || error.field!.startsWith(f + "."))) {
    return fields.find((f) => error.field === f || error.field!.startsWith(f + "[") || error.field!.startsWith(f + "."));
  }
  return undefined;
}

/**
 * A text field of an entity form: label with help (message keys `<label>` and `<label>Help`), and the server's
 * refusal under it when the refusal names this field (`field`, the REST field name).
 */
export const TextField = ({ id, label, field, value, onChange, disabled, error, at, type, placeholder, isRequired, children }: {
  id: string; label: string; field: string; value: string; onChange: (v: string) => void; disabled: boolean;
  error?: M2mError | Error; at?: string; type?: "number"; placeholder?: string; isRequired?: boolean; children?: ReactNode;
}) => {
  const { t } = useTranslation();
  return (
    <FormGroup label={t(label)} fieldId={id} isRequired={isRequired}
      labelIcon={<Help label={t(label)} text={t(`${label}Help`)} />}>
      <TextInput id={id} data-testid={id} type={type} value={value} placeholder={placeholder}
        onChange={(_e, v) => onChange(v)} isDisabled={disabled} />
      {children}
      {at === field && <ErrorAlert error={error} />}
    </FormGroup>
  );
};

import { createInstance } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
import { environment } from "./environment";

type KeyValue = { key: string; value: string };

// As in Keycloak's console: the messages of the admin theme (ours extends keycloak.v2, so Keycloak's own
// messages plus ours, messages/messages_<lang>.properties), fetched from the server in the admin's locale.
export const i18n = createInstance({
  fallbackLng: "en",
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  defaultNS: [environment.realm],
  ns: [environment.realm],
  // The console switches to the namespace of the realm being administered (its messages, with that realm's own
  // admin theme and overrides). Our pages' messages come from the theme of the realm the admin logged in to.
  fallbackNS: environment.realm,
  backend: {
    loadPath: `${environment.adminBaseUrl.replace(/\/+$/, "")}/resources/{{ns}}/admin/{{lng}}`,
    parse: (data: string) => {
      const messages: KeyValue[] = JSON.parse(data);
      return Object.fromEntries(messages.map(({ key, value }) => [key, value]));
    },
  },
});

i18n.use(FetchBackend);
i18n.use(initReactI18next);

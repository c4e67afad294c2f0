// Drives the Keycloak admin console in Debian's Chromium (playwright-core, never a downloaded browser) the way an
// admin configures keycloak-m2m: run by dev.keycloakm2m.console.ConsoleBrowserIT, which prepares the realm, reads
// the observations this script writes to config.output and asserts on them and on the server's state.
//
//   node console-test.mjs <config.json>
//
// Every step records what a user sees (alert texts, list rows, help texts, navigation entries) and takes
// screenshots into config.screenshots. A step that cannot be done (element missing, timeout) fails the script with
// exit code 1 after a screenshot "failed-<step>.png"; assertions about content are left to the Java side.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const result = { steps: [], alerts: {}, lists: {}, helpTexts: {}, texts: {}, rawKeys: [], pageErrors: [] };
mkdirSync(config.screenshots, { recursive: true });

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// a ceiling per step, not a wait: generous, because the machine running the suite may be busy
const TIMEOUT = 180_000;

// ---- helpers -------------------------------------------------------------------------------------------------

async function login(page, loginRealm, user) {
  await page.goto(`${config.baseUrl}/admin/${loginRealm}/console/#/${config.realm}`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#kc-login');
  await page.locator('[data-testid="currentRealm"]').waitFor();
  await page.locator('[data-testid="currentRealm"]', { hasText: config.realm }).waitFor();
  // the console switches to the user's language after login: wait for it (the "Configure" navigation group)
  await page.locator('nav section h2, nav .pf-v5-c-nav__section-title', { hasText: user.configure }).first().waitFor();
}

/** Left navigation entry of a declarative page (language-independent test id). */
/** Opens an extension page from the navigation and waits until its list has rendered (the page is lazy-loaded:
 * until then the previous page, e.g. the realm's welcome page, still shows its own heading). */
const navToPage = async (page, providerId) => {
  await page.locator(`[data-testid="nav-item-page-section/${providerId}"]`).click();
  await page.waitForURL(new RegExp(`/page-section/${providerId}(?:[?#]|$)`));
  await page.locator('[data-testid="view-header"]').first().waitFor();
};

const shot = (page, name) => page.screenshot({ path: join(config.screenshots, `${name}.png`), fullPage: true });

async function clearAlerts(page) {
  for (const close of await page.locator('[data-testid="global-alerts"] .pf-v5-c-alert__action button').all()) {
    await close.click().catch(() => {});
  }
  await page.locator('[data-testid="global-alerts"] .pf-v5-c-alert').first().waitFor({ state: 'detached' }).catch(() => {});
}

/** Clicks Save and returns the alert the console shows for it. */
async function save(page) {
  await clearAlerts(page);
  await page.locator('[data-testid="save"]').click();
  const title = page.locator('[data-testid="global-alerts"] .pf-v5-c-alert__title').first();
  await title.waitFor();
  return (await title.innerText()).replace(/^(Danger|Success|Info|Warning|Custom) alert:\s*/, '').trim();
}

async function openCreateForm(page) {
  await page.locator('main a, main button').filter({ hasText: config.texts.createItem }).first().click();
  await page.locator('form [data-testid="save"]').waitFor();
}

async function pickClient(page, clientId) {
  const input = page.locator('[id="config.client_id"] input');
  await input.click();
  await input.fill(clientId);
  await page.getByRole('option', { name: clientId, exact: true }).click();
}

async function fillScopesMap(page, scopes) {
  for (let i = 0; i < scopes.length; i++) {
    await page.locator(i === 0 ? '[data-testid="scopes-add-row"]' : '[data-testid="config.scopes-add-row"]').click();
    await page.locator(`[data-testid="config.scopes.${i}.key"]`).fill(scopes[i].value);
    await page.locator(`[data-testid="config.scopes.${i}.value"]`).fill(scopes[i].description);
    await page.locator(`[data-testid="config.scopes.${i}.value"]`).blur();
  }
}

async function selectOption(page, name, value) {
  await page.locator(`[id="${name}"]`).click();
  await page.getByRole('option', { name: value, exact: true }).click();
}

/** Rows of the list page's table, as arrays of cell texts (the last, empty action cell dropped). */
async function tableRows(page) {
  await page.locator('main table tbody tr').first().waitFor();
  const headers = (await page.locator('main table thead th').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  const rows = [];
  for (const row of await page.locator('main table tbody tr').all()) {
    rows.push((await row.locator('td').allInnerTexts()).map((s) => s.trim()).slice(0, headers.length));
  }
  return { headers, rows };
}

/** Opens every help popover of the form and returns label -> help text. */
async function helpTexts(page) {
  const out = {};
  for (const group of await page.locator('form .pf-v5-c-form__group').all()) {
    const button = group.locator('.pf-v5-c-form__group-label-help');
    if (await button.count() === 0) continue;
    const label = (await group.locator('.pf-v5-c-form__label-text').first().innerText()).trim();
    await button.first().click();
    const body = page.locator('.pf-v5-c-popover__body').last();
    await body.waitFor();
    out[label] = (await body.innerText()).trim();
    await page.keyboard.press('Escape');
    await body.waitFor({ state: 'detached' }).catch(() => {});
  }
  return out;
}

/**
 * Everything visible that could be an untranslated key: the page's text (our keys start with m2m) and the
 * labels, headings, column headers, breadcrumbs, tabs, buttons and navigation entries (camelCase words are
 * Keycloak-style keys, e.g. a missing "page" breadcrumb or "createItem").
 */
async function scanRawKeys(page, where) {
  const text = await page.locator('body').innerText();
  for (const m of text.matchAll(/\bm2m[.-][A-Za-z0-9.-]+/g)) result.rawKeys.push({ where, text: m[0] });
  const selectors = ['h1', 'h2', 'label', 'th', '.pf-v5-c-breadcrumb__item', '[role="tab"]', 'button', 'nav a',
    '.pf-v5-c-empty-state__title', '.pf-v5-c-empty-state__body', '.pf-v5-c-form__label-text', '.pf-v5-c-alert__title'];
  for (const s of selectors) {
    for (const t of await page.locator(s).allInnerTexts()) {
      const whole = t.trim();
      if (/^[a-z]+([A-Z][a-z0-9]*)+$/.test(whole) || /^(page|list|details|add|save|cancel)$/.test(whole)) {
        result.rawKeys.push({ where, text: whole, selector: s });
      }
    }
  }
}

// ---- the flows -------------------------------------------------------------------------------------------------

const steps = [];
const step = (name, fn) => steps.push({ name, fn });

/** Master admin (admin/admin): creates the API and the grant, provokes each validation error. */
step('admin', async (page) => {
  const { api, client } = config;
  await login(page, 'master', config.admin);
  result.texts.nav = (await page.locator('nav').first().innerText()).split('\n').map((s) => s.trim()).filter(Boolean);
  await scanRawKeys(page, 'admin: home');

  // APIs: empty list, then create one with two scopes
  await navToPage(page, 'm2m-apis');
  result.texts.apisTitle = await page.locator('[data-testid="view-header"]').first().innerText();
  await shot(page, 'apis-empty');
  await scanRawKeys(page, 'admin: APIs, empty');
  await openCreateForm(page);
  await scanRawKeys(page, 'admin: API form');
  result.helpTexts.api = await helpTexts(page);
  await page.locator('[data-testid="name"]').fill(api.name);
  await page.locator('[data-testid="identifier"]').fill(api.identifier);
  await fillScopesMap(page, api.scopes);
  result.alerts.apiCreated = await save(page);

  // duplicate identifier
  await navToPage(page, 'm2m-apis');
  await openCreateForm(page);
  await page.locator('[data-testid="name"]').fill(`${api.name} (copy)`);
  await page.locator('[data-testid="identifier"]').fill(api.identifier);
  result.alerts.duplicateIdentifier = await save(page);
  await shot(page, 'alert-duplicate-identifier');
  await scanRawKeys(page, 'admin: duplicate alert');

  // bad token lifetime (on a new identifier, so that it is the only problem)
  await page.locator('[data-testid="identifier"]').fill(`${api.identifier}/other`);
  await page.locator('[data-testid="token_lifetime"]').fill('10');
  result.alerts.badLifetime = await save(page);

  await navToPage(page, 'm2m-apis');
  result.lists.apis = await tableRows(page);
  await shot(page, 'apis-list-admin');

  // client grants: a client without service accounts, a scope the API does not define, then the real grant
  await navToPage(page, 'm2m-client-grants');
  await openCreateForm(page);
  await scanRawKeys(page, 'admin: grant form');
  result.helpTexts.grant = await helpTexts(page);
  await pickClient(page, config.clientWithoutServiceAccounts);
  await page.locator('[data-testid="audience"]').fill(api.identifier);
  await page.locator('[data-testid="config.scope0"]').fill(config.grantScope);
  result.alerts.noServiceAccounts = await save(page);

  await navToPage(page, 'm2m-client-grants');
  await openCreateForm(page);
  await pickClient(page, client);
  await page.locator('[data-testid="audience"]').fill(api.identifier);
  await page.locator('[data-testid="config.scope0"]').fill(config.unknownScope);
  result.alerts.unknownScope = await save(page);
  await shot(page, 'alert-unknown-scope');
  await page.locator('[data-testid="config.scope0"]').fill(config.grantScope);
  result.alerts.grantCreated = await save(page);

  await navToPage(page, 'm2m-client-grants');
  result.lists.grants = await tableRows(page);
  await scanRawKeys(page, 'admin: grants list');

  if (config.quota) {
    // Token quotas page (provider m2m-token-quotas, keys client_id, per_hour, per_day, enforce)
    await navToPage(page, 'm2m-token-quotas');
    await openCreateForm(page);
    await scanRawKeys(page, 'admin: quota form');
    await pickClient(page, client);
    await page.locator('[data-testid="per_hour"]').fill(String(config.quota.perHour));
    const enforce = page.locator('input[data-testid="enforce"]');
    if (await enforce.count() && !(await enforce.isChecked())) await enforce.check();
    result.alerts.quotaCreated = await save(page);
    await shot(page, 'quota-form');
    await navToPage(page, 'm2m-token-quotas');
    result.lists.quotas = await tableRows(page);
    await shot(page, 'quotas-list');
    await scanRawKeys(page, 'admin: quotas list');
  }
});

/** A realm admin (view-realm, manage-realm, view-clients) in the realm's own console: edits, and the README pictures. */
step('editor', async (page) => {
  const { api } = config;
  await login(page, config.realm, config.editor);
  await navToPage(page, 'm2m-apis');
  await shot(page, 'apis-list');
  await page.getByRole('link', { name: api.name, exact: true }).click();
  await page.locator('[data-testid="token_lifetime"]').waitFor();
  await page.locator('[data-testid="token_lifetime"]').fill(String(config.editorTokenLifetime));
  result.alerts.editorApiSaved = await save(page);
  await clearAlerts(page);
  await shot(page, 'api-form');
  await page.locator('form .pf-v5-c-form__group')
    .filter({ has: page.locator('.pf-v5-c-form__label-text', { hasText: /^Identifier$/ }) })
    .locator('.pf-v5-c-form__group-label-help').click();
  await page.locator('.pf-v5-c-popover__body').waitFor();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.pf-v5-c-popover')).opacity === '1');
  await shot(page, 'api-form-help');
  await page.keyboard.press('Escape');
  await scanRawKeys(page, 'editor: API form');

  await navToPage(page, 'm2m-client-grants');
  await shot(page, 'grants-list');
  await page.getByRole('link', { name: config.client, exact: true }).first().click();
  await page.locator('[data-testid="audience"]').waitFor();
  await page.locator('[id="config.client_id"] input').waitFor();
  await page.waitForFunction(() => document.querySelector('[id="config.client_id"] input')?.value);
  await shot(page, 'grant-form');
  await scanRawKeys(page, 'editor: grant form');

  // a validation alert as the realm admin sees it
  await navToPage(page, 'm2m-apis');
  await openCreateForm(page);
  await page.locator('[data-testid="name"]').fill('Orders API again');
  await page.locator('[data-testid="identifier"]').fill(api.identifier);
  result.alerts.editorDuplicate = await save(page);
  await shot(page, 'alert-validation');

  // Realm settings > M2M
  await page.locator('[data-testid="nav-item-realm-settings"]').click();
  await page.getByRole('tab', { name: config.texts.settingsTab, exact: true }).click();
  await page.locator('[data-testid="default_audience"]').waitFor();
  await scanRawKeys(page, 'editor: M2M tab');
  result.helpTexts.settings = await helpTexts(page);
  await selectOption(page, 'error_style', config.errorStyle);
  result.alerts.settingsSaved = await save(page);
  await clearAlerts(page);
  await shot(page, 'm2m-settings-tab');
});

/** A realm admin with view-realm only, console in German: sees the pages, and the server refuses writes. */
step('viewer', async (page) => {
  const { api } = config;
  await login(page, config.realm, config.viewer);
  result.texts.viewerNav = (await page.locator('nav').first().innerText()).split('\n').map((s) => s.trim()).filter(Boolean);
  await navToPage(page, 'm2m-apis');
  result.texts.viewerApisTitle = await page.locator('h1').first().innerText();
  result.lists.viewerApis = await tableRows(page);
  await scanRawKeys(page, 'viewer (de): APIs list');
  await shot(page, 'de-apis-list');
  await page.getByRole('link', { name: api.name, exact: true }).click();
  await page.locator('[data-testid="name"]').waitFor();
  await scanRawKeys(page, 'viewer (de): API form');
  result.helpTexts.viewerApi = await helpTexts(page);
  await page.locator('[data-testid="name"]').fill(`${api.name} (changed by a viewer)`);
  result.alerts.viewerSave = await save(page);
  await shot(page, 'de-viewer-save-refused');
  await navToPage(page, 'm2m-client-grants');
  result.lists.viewerGrants = await tableRows(page);
  await scanRawKeys(page, 'viewer (de): grants list');
});

// ---- run ---------------------------------------------------------------------------------------------------------

const browser = await chromium.launch({ executablePath: config.chromium, args: LAUNCH_ARGS });
let failed = false;
try {
  for (const { name, fn } of steps.filter((s) => config.steps.includes(s.name))) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    page.on('pageerror', (e) => result.pageErrors.push({ step: name, error: String(e) }));
    const started = Date.now();
    try {
      await fn(page);
      result.steps.push({ name, ok: true, ms: Date.now() - started });
    } catch (e) {
      failed = true;
      result.steps.push({ name, ok: false, ms: Date.now() - started, error: String(e.stack || e) });
      await shot(page, `failed-${name}`).catch(() => {});
      console.error(`step ${name} failed: ${e.stack || e}`);
      break;
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  writeFileSync(config.output, JSON.stringify(result, null, 2));
}
process.exit(failed ? 1 : 0);

// Drives the keycloak-m2m admin theme (Keycloak's console plus our pages) in Debian's Chromium with playwright-core
// (never a downloaded browser). Run by dev.keycloakm2m.console.AdminThemeBrowserIT once per phase; between phases
// the Java test checks the server's answers outside the browser.
//
//   node admin-theme-test.mjs <config.json>
//
// config: baseUrl, realm, loginRealm, user {username, password}, phase, chromium, screenshots, output, and the
// phase's data. Each phase writes what a user saw to config.output (texts, alerts, controls, raw keys, page errors).
// A step that cannot be done (element missing after a generous wait) fails with exit code 1 after a screenshot
// "failed-<phase>.png"; assertions about content are left to the Java side. Waits are for conditions only.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const result = { phase: config.phase, steps: [], texts: {}, alerts: {}, controls: {}, rawKeys: [], pageErrors: [] };
mkdirSync(config.screenshots, { recursive: true });

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT = 90_000; // a ceiling, not a delay: the machine running the suite is busy
const realmPath = encodeURIComponent(config.realm);

// ---- helpers -------------------------------------------------------------------------------------------------

const shot = (page, name) => page.screenshot({ path: join(config.screenshots, `${name}.png`), fullPage: true });
const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

async function login(page) {
  await page.goto(`${config.baseUrl}/admin/${config.loginRealm}/console/#/${realmPath}`);
  await page.fill('#username', config.user.username);
  // a realm with organizations enabled asks for the username first (identity-first login), then the password
  const password = page.locator('#password');
  if (!(await password.isVisible())) await page.click('#kc-login');
  await password.fill(config.user.password);
  await page.click('#kc-login');
  await page.locator('[data-testid="currentRealm"]', { hasText: config.realmDisplay ?? config.realm }).waitFor();
  // the console switches to the user's language after login: wait for our navigation entry in that language
  await byTestId(page, 'nav-item-m2m-apis').filter({ hasText: config.user.apisLabel }).waitFor();
}

/** Opens one of our pages by its address and waits for its title. */
async function open(page, path, title) {
  await page.goto(`${config.baseUrl}/admin/${config.loginRealm}/console/#/${realmPath}${path}`);
  const heading = byTestId(page, 'm2m-page-title');
  if (title) await heading.filter({ hasText: title }).waitFor();
  else await heading.waitFor();
}

async function collectRawKeys(page, where) {
  const text = await page.locator('body').innerText();
  for (const m of text.matchAll(/\bm2m[A-Z][A-Za-z0-9_]*\b/g)) result.rawKeys.push(`${where}: ${m[0]}`);
  for (const label of await page.locator('[aria-label^="m2m"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))) {
    if (/^m2m[A-Z]/.test(label)) result.rawKeys.push(`${where}: aria-label ${label}`);
  }
}

/** Every control on the page that would change something: enabled inputs, switches, checkboxes, selects, buttons. */
async function writeControls(page) {
  return page.locator('main').evaluate((main) => {
    const out = [];
    const readOnlyOk = (el) => el.disabled || el.readOnly;
    for (const el of main.querySelectorAll('input, textarea, select')) {
      if (readOnlyOk(el)) continue;
      if (el.closest('.m2m-find') || el.closest('.pf-v5-c-pagination')) continue; // finding, not writing
      if (el.dataset.testid === 'm2m-quota-sort') continue; // sorting, not writing
      out.push(`${el.tagName.toLowerCase()}[${el.type || ''}] ${el.id || el.dataset.testid || el.getAttribute('aria-label') || ''}`);
    }
    const writeButtons = /^m2m-(save|create-api|add-scope|remove-scope-|delete-api|set-quota|edit-quota-|default-quota-|quota-save|quota-remove|app-.*-(update|all|none))/;
    for (const el of main.querySelectorAll('button, a')) {
      const id = el.dataset.testid || '';
      if (writeButtons.test(id) && !el.disabled) out.push(`button ${id}`);
    }
    return out;
  });
}

async function viewPage(page, name, path, title, mustShow) {
  await open(page, path, title);
  for (const text of mustShow) await page.locator('main').getByText(text, { exact: false }).first().waitFor();
  result.controls[name] = await writeControls(page);
  result.texts[name] = await page.locator('main').innerText();
  await collectRawKeys(page, name);
  await shot(page, `${config.shotPrefix ?? ''}${name}`);
}

/** An alert as read: "title: message" (without the screen-reader prefix "Danger alert:"). */
async function alertText(alert) {
  const title = (await alert.locator('.pf-v5-c-alert__title').innerText()).replace(/^(Danger|Success|Info|Warning|Custom) alert:\s*/, '').trim();
  const body = alert.locator('.pf-v5-c-alert__description');
  return (await body.count()) ? `${title}: ${(await body.innerText()).trim()}` : title;
}

/** The toast of a successful save, or the inline error of a refused one. */
async function outcome(page) {
  const ok = byTestId(page, 'm2m-toast-success').last();
  const error = byTestId(page, 'm2m-error').first();
  await ok.or(error).first().waitFor();
  if (await error.isVisible()) return `error: ${await alertText(error)}`;
  return 'saved';
}

async function closeToasts(page) {
  for (const b of await page.locator('.pf-v5-c-alert-group.pf-m-toast .pf-v5-c-alert__action button').all()) {
    await b.click().catch(() => {});
  }
  await byTestId(page, 'm2m-toast-success').first().waitFor({ state: 'detached' });
}

// ---- phases --------------------------------------------------------------------------------------------------

const phases = {
  /** Create the API with two scopes, provoke a duplicate identifier, authorize the client with one scope. */
  async authorize(page) {
    const { api, client, grantScope } = config;
    await byTestId(page, 'nav-item-m2m-apis').click();
    await byTestId(page, 'm2m-create-api').click();
    await byTestId(page, 'm2m-name').fill(api.name);
    await byTestId(page, 'm2m-identifier').fill(api.identifier);
    await byTestId(page, 'm2m-save').click();
    await page.waitForURL(/\/m2m\/apis\/[^/]+\/permissions$/);
    result.texts.apiId = decodeURIComponent(page.url().match(/\/m2m\/apis\/([^/]+)\/permissions$/)[1]);
    for (const scope of api.scopes) {
      await byTestId(page, 'm2m-scope-value').fill(scope.value);
      await byTestId(page, 'm2m-scope-description').fill(scope.description);
      await byTestId(page, 'm2m-add-scope').click();
      await byTestId(page, `m2m-scope-${scope.value}`).waitFor();
    }
    result.texts.scopes = await byTestId(page, 'm2m-scopes-table').innerText();
    await shot(page, 'permissions');

    // the same identifier again: the server refuses it, the page says why next to the field
    await open(page, '/m2m/apis/new');
    await byTestId(page, 'm2m-name').fill(`${api.name} (copy)`);
    await byTestId(page, 'm2m-identifier').fill(api.identifier);
    await byTestId(page, 'm2m-save').click();
    const error = byTestId(page, 'm2m-error');
    await error.waitFor();
    result.alerts.duplicateIdentifier = await alertText(error);
    result.texts.duplicateNextToIdentifier = await page.locator('#m2m-identifier ~ [data-testid="m2m-error"], .pf-v5-c-form__group:has(#m2m-identifier) [data-testid="m2m-error"]').count();
    await shot(page, 'validation-error');

    await open(page, `/m2m/apis/${encodeURIComponent(result.texts.apiId)}/applications`, api.name);
    const row = byTestId(page, `m2m-app-${client}`);
    await row.waitFor();
    // a PatternFly switch: its label is what a user clicks
    await page.locator(`label[for="m2m-app-${client}-authorized"]`).click();
    result.alerts.authorized = await outcome(page);
    await byTestId(page, `m2m-app-${client}-scope-${grantScope}`).check();
    // close the toast of the switch first: closing after the click could also close the toast of the update
    await closeToasts(page).catch(() => {});
    await byTestId(page, `m2m-app-${client}-update`).click();
    result.alerts.grantSaved = await outcome(page);
    await shot(page, 'applications');
  },

  /** Untick the granted scope and save the row. */
  async untick(page) {
    const { client, grantScope } = config;
    await open(page, `/m2m/apis/${encodeURIComponent(config.apiId)}/applications`, config.api.name);
    const box = byTestId(page, `m2m-app-${client}-scope-${grantScope}`);
    await box.waitFor();
    result.texts.checkedBefore = await box.isChecked();
    await box.uncheck();
    await byTestId(page, `m2m-app-${client}-update`).click();
    result.alerts.grantSaved = await outcome(page);
  },

  /** Grant the scope again, then set the client's quota on the Token quotas page. */
  async quota(page) {
    const { client, grantScope } = config;
    await open(page, `/m2m/apis/${encodeURIComponent(config.apiId)}/applications`, config.api.name);
    await byTestId(page, `m2m-app-${client}-scope-${grantScope}`).check();
    await byTestId(page, `m2m-app-${client}-update`).click();
    result.alerts.grantSaved = await outcome(page);

    await byTestId(page, 'nav-item-m2m-token-quotas').click();
    await byTestId(page, 'm2m-quota-table').waitFor();
    await byTestId(page, 'm2m-set-quota').click();
    await byTestId(page, 'm2m-quota-client').fill(client);
    await byTestId(page, 'm2m-quota-per-hour').fill(String(config.perHour));
    await closeToasts(page).catch(() => {}); // the grant's toast must not count as the quota's
    await byTestId(page, 'm2m-quota-save').click();
    await byTestId(page, `m2m-quota-row-${client}`).waitFor();
    result.alerts.quotaSaved = await outcome(page);
  },

  /** After the Java side took tokens: the Token quotas page shows the usage against the limit. */
  async usage(page) {
    const { client } = config;
    await open(page, '/m2m/token-quotas');
    const bar = byTestId(page, `m2m-usage-hour-${client}`);
    await bar.filter({ hasText: config.expectUsage }).waitFor();
    result.texts.hourUsage = (await bar.innerText()).trim();
    result.texts.quotaRow = (await byTestId(page, `m2m-quota-row-${client}`).innerText()).trim();
    await collectRawKeys(page, 'tokenQuotas');
    await shot(page, 'token-quotas-used');

    // Keycloak's own client page: a line with the client's APIs and the link to its page of APIs
    await page.goto(`${config.baseUrl}/admin/${config.loginRealm}/console/#/${realmPath}/clients/${config.clientUuid}/settings`);
    const clientBar = byTestId(page, 'm2m-client-bar');
    await clientBar.filter({ hasText: config.api.identifier }).waitFor();
    result.texts.clientBar = (await clientBar.innerText()).trim();
    result.texts.clientPageHasKeycloakTabs = await page.getByRole('tab').count();
    await shot(page, 'keycloak-client-page');
    await byTestId(page, 'm2m-client-apis-link').click();
    await byTestId(page, 'm2m-page-title').filter({ hasText: client }).waitFor();
    result.texts.clientApisTitle = (await byTestId(page, 'm2m-page-title').innerText()).trim();
    const clientApis = byTestId(page, 'm2m-client-apis');
    await clientApis.filter({ hasText: config.api.identifier }).filter({ hasText: config.api.name }).waitFor(); // its rows load after the title
    result.texts.clientApis = (await clientApis.innerText()).trim();
  },

  /** A rate limit for the client on the Rate limits page (block, 5/s), then changed to log only. */
  async rateLimit(page) {
    const { client } = config;
    await byTestId(page, 'nav-item-m2m-rate-limits').click();
    await byTestId(page, 'm2m-rate-limit-table').waitFor();
    await byTestId(page, 'm2m-add-rate-limit').click();
    await byTestId(page, 'm2m-rate-limit-target').selectOption('client');
    await byTestId(page, 'm2m-rate-limit-client').fill(client);
    await byTestId(page, 'm2m-rate-limit-limit').fill('5');
    await byTestId(page, 'm2m-rate-limit-save').click();
    await byTestId(page, `m2m-rate-limit-row-${client}`).waitFor();
    result.alerts.rateLimitSaved = await outcome(page);
    result.texts.rateLimitRow = (await byTestId(page, `m2m-rate-limit-row-${client}`).innerText()).trim();
    await closeToasts(page).catch(() => {});
    await byTestId(page, `m2m-edit-rate-limit-${client}`).click();
    await byTestId(page, 'm2m-rate-limit-action').selectOption('log');
    await byTestId(page, 'm2m-rate-limit-save').click();
    result.alerts.rateLimitChanged = await outcome(page);
    await byTestId(page, `m2m-rate-limit-row-${client}`).filter({ hasText: 'Log only' }).waitFor();
    result.texts.rateLimitRowAfter = (await byTestId(page, `m2m-rate-limit-row-${client}`).innerText()).trim();
    await collectRawKeys(page, 'rateLimits');
    await shot(page, 'rate-limits');
  },

  /** Keycloak's organization page: the bar with the organization's client grants and quota; the quota changed there. */
  async organization(page) {
    await page.goto(`${config.baseUrl}/admin/${config.loginRealm}/console/#/${realmPath}/organizations/${config.orgId}/settings`);
    const bar = byTestId(page, 'm2m-organization-bar');
    await bar.filter({ hasText: config.api.identifier }).waitFor();
    await byTestId(page, 'm2m-organization-usage-hour').waitFor();
    result.texts.organizationBar = (await bar.innerText()).trim();
    result.texts.organizationPageHasKeycloakTabs = await page.getByRole('tab').count();
    await byTestId(page, 'm2m-organization-set-quota').click();
    await byTestId(page, 'm2m-quota-per-hour').fill('4');
    await byTestId(page, 'm2m-quota-save').click();
    result.alerts.organizationQuotaSaved = await outcome(page);
    await byTestId(page, 'm2m-organization-usage-hour').filter({ hasText: 'of 4' }).waitFor();
    result.texts.organizationQuota = (await byTestId(page, 'm2m-organization-quota').innerText()).trim();
    await collectRawKeys(page, 'organization');
    await shot(page, 'organization');
  },

  /** A view-realm-only admin: every page shows its data and no control that would write. */
  async viewer(page) {
    const { api, client } = config;
    const apiPath = `/m2m/apis/${encodeURIComponent(config.apiId)}`;
    await viewPage(page, 'apis', '/m2m/apis', null, [api.name, api.identifier]);
    await viewPage(page, 'settings', `${apiPath}/settings`, api.name, [api.identifier]);
    await viewPage(page, 'permissions', `${apiPath}/permissions`, api.name, api.scopes.map((s) => s.value));
    await viewPage(page, 'applications', `${apiPath}/applications`, api.name, [client]);
    await viewPage(page, 'quotas', `${apiPath}/quotas`, api.name, [client]);
    await viewPage(page, 'tokenQuotas', '/m2m/token-quotas', null, [client]);
    await viewPage(page, 'm2mSettings', '/m2m/settings', null, []);
    await viewPage(page, 'rateLimits', '/m2m/rate-limits', null, [client]);
    await viewPage(page, 'clientApis', `/m2m/clients/${encodeURIComponent(client)}`, null, [api.identifier]);
    result.texts.nav = await page.locator('nav').first().innerText();
  },

  /** Screenshots of every page for the README, in a realm that already has APIs, grants and quotas. */
  async screenshots(page) {
    const pages = config.pages;
    for (const p of pages) {
      await open(page, p.path, p.title ?? null);
      if (p.waitFor) await page.locator('main').getByText(p.waitFor, { exact: false }).first().waitFor();
      for (const [testId, value] of Object.entries(p.fill ?? {})) await byTestId(page, testId).fill(value);
      if (p.click) await byTestId(page, p.click).click();
      if (p.waitForTestId) await byTestId(page, p.waitForTestId).first().waitFor();
      await collectRawKeys(page, p.name);
      await page.screenshot({ path: join(config.screenshots, `${p.name}.png`), fullPage: p.fullPage ?? false });
    }
  },
};

// ---- run -----------------------------------------------------------------------------------------------------

const userDataDir = mkdtempSync(join(tmpdir(), 'm2m-chromium-'));
let context;
let page;
let exitCode = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: config.chromium,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: config.width ?? 1440, height: config.height ?? 900 },
    locale: config.browserLocale ?? 'en-US',
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e.message)));
  await login(page);
  result.steps.push('login');
  await phases[config.phase](page);
  result.steps.push(config.phase);
} catch (e) {
  exitCode = 1;
  result.failure = String(e && e.stack ? e.stack : e);
  if (page) await shot(page, `failed-${config.phase}`).catch(() => {});
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  writeFileSync(config.output, JSON.stringify(result, null, 2));
}
process.exit(exitCode);

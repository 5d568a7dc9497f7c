// Browser tests of `anju serve --demo` with Debian's chromium and playwright-core.
//
//   node e2e/run.mjs            (from the project root or from e2e/; .ci/run does this)
//
// Needs: target/release/anju (or ANJU_BIN), /usr/bin/chromium (or CHROMIUM), `npm ci` in e2e/.
// Builds nothing. Starts `anju serve --demo --port <free port>` on a temporary SQLite database
// (ANJU_DATABASE_URL), waits for /healthz, runs the flows of issue 6 item 4 and saves a
// screenshot of every step to target/e2e/*.png (CI artifacts).
//
// The flows named "journey: …" go through the pages only, as the people who use them do: signing
// and filing a contract on the compound page and walking on to 在管服务, the contract register,
// the owners' dismissal survey on a phone, commissioning an evaluator who then scores on a
// phone, a per-household fee sheet imported and the arrears read on a phone, assigning a
// subsidy policy on /funding, adding an account on /users, one subsidy line from 申报 to
// 拨付, and a blocked fire lane referred to the fire brigade (吹哨报到) and back (the JSON API
// is read only to choose which compound to use).
//
// A flow is skipped, with a printed notice, only when the page it needs does not exist yet
// (its route answers 404). Any other problem fails the flow; any failure exits non-zero.

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const ANJU = process.env.ANJU_BIN ?? path.join(root, 'target/release/anju');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(root, 'target/e2e');

// The demo accounts `anju serve --demo` creates (crates/anju-cli/src/cmd_user.rs).
const DEMO_PASSWORD = 'anju-demo-2026';
const STREET_USER = { username: 'daqintala', display: '大沁他拉街道 李强' };
const COMPANY_USER = { username: 'wuye', display: '物业企业 张经理' };
const STREET = '大沁他拉街道';

class Skip extends Error {}

function skipUnless(found, what) {
  if (!found) throw new Skip(`${what} does not exist yet (404)`);
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------------------------------
// The server

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-e2e-'));
const dbUrl = `sqlite://${path.join(tmp, 'e2e.db')}`;
// Evidence goes to the temporary directory too, never into the checkout.
const env = { ...process.env, ANJU_DATABASE_URL: dbUrl, ANJU_EVIDENCE_DIR: path.join(tmp, 'evidence'), ANJU_LOG: process.env.ANJU_LOG ?? 'warn' };

function anju(...args) {
  return execFileSync(ANJU, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function startServer() {
  check(fs.existsSync(ANJU), `${ANJU} not found: build it first (cargo build --release)`);
  const port = await freePort();
  const child = spawn(ANJU, ['serve', '--demo', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anju serve exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 120_000) throw new Error(`no /healthz after 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, base, output: () => out };
}

// ------------------------------------------------------------------------------------------
// Helpers

let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  const file = path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function login(browser, base, user, contextOptions = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...contextOptions });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password ?? DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
  check(!new URL(page.url()).pathname.startsWith('/login'), `login as ${user.username} stayed on ${page.url()}`);
  return { context, page };
}

/// GET through the browser context (its cookies): status and body.
async function get(context, url) {
  const r = await context.request.get(url, { maxRedirects: 0 });
  return { status: r.status(), text: await r.text(), headers: r.headers() };
}

async function compoundsJson(context, base, query = '') {
  const r = await get(context, `${base}/api/v1/compounds${query}`);
  check(r.status === 200, `/api/v1/compounds${query} answered ${r.status}`);
  return JSON.parse(r.text);
}

/// The dashboard's URL (`/dashboard`, or `/` when it is the dashboard), or null.
async function dashboardUrl(context, base) {
  for (const p of ['/dashboard', '/']) {
    const r = await get(context, `${base}${p}`);
    if (r.status === 200 && r.text.includes('class="cards"')) return `${base}${p}`;
  }
  return null;
}

/// The dashboard's figure cards as { label: value }.
async function dashboardCards(page, url) {
  await page.goto(url);
  return page.$$eval('.cards .card', (cards) =>
    Object.fromEntries(cards.map((c) => [c.querySelector('span')?.textContent.trim(), c.querySelector('b')?.textContent.trim()])),
  );
}

const number = (s) => Number(String(s ?? '').replace(/[^\d.-]/g, ''));

/// A ledger file (UTF-8 CSV with the canonical headers) with one new compound in the street.
function ledgerCsv(name) {
  const file = path.join(tmp, `${name}.csv`);
  const header = '序号,小区名称,街道（镇）,社区,详细地址,建成年代,建筑面积（㎡）,栋数,总户数,小区类别,管理方式,物业公司,业委会';
  const row = `1,${name},${STREET},,浏览器测试路1号,2005,8800.5,4,96,2,无物业,,无`;
  fs.writeFileSync(file, `\ufeff${header}\n${row}\n`);
  return file;
}

/// Fills a form the way a careful user would: every empty required field gets a valid value.
async function fillRequired(form) {
  for (const el of await form.$$('select')) {
    const value = await el.evaluate((s) => s.value);
    if (!value) {
      const opts = await el.$$eval('option', (os) => os.map((o) => o.value).filter((v) => v));
      if (opts.length) await el.selectOption(opts[0]);
    }
  }
  for (const el of await form.$$('input[required], textarea[required]')) {
    const type = (await el.getAttribute('type')) ?? 'text';
    if (['hidden', 'submit', 'checkbox', 'file'].includes(type)) continue;
    if (type === 'radio') {
      const name = await el.getAttribute('name');
      if (!(await form.$(`input[name="${name}"]:checked`))) await el.check();
      continue;
    }
    if ((await el.inputValue()) !== '') continue;
    if (type === 'number') await el.fill((await el.getAttribute('max')) ?? (await el.getAttribute('min')) ?? '1');
    else if (type === 'date') await el.fill(new Date().toISOString().slice(0, 10));
    else await el.fill('浏览器测试');
  }
}


/// A phone in the hand of someone in the field.
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/// Opens a compound's page the way a person finds it: the ledger's search box, then its name.
async function openFromLedger(page, base, name) {
  await page.goto(`${base}/ledger`);
  await page.fill('form.filters input[name=q]', name);
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  const link = page.locator('#ledger').getByRole('link', { name, exact: true });
  check((await link.count()) === 1, `the ledger search for ${name} lists ${await link.count()} links to it`);
  const [r] = await Promise.all([page.waitForNavigation(), link.click()]);
  check(r.status() === 200, `the compound page of ${name} answered ${r.status()}`);
}

// ------------------------------------------------------------------------------------------
// Flows

const results = [];
async function flow(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, status: 'pass', ms: Date.now() - t0 });
    console.log(`PASS  ${name}`);
  } catch (e) {
    if (e instanceof Skip) {
      results.push({ name, status: 'skip', note: e.message });
      console.log(`SKIP  ${name}: ${e.message}`);
    } else {
      results.push({ name, status: 'fail', note: e.stack ?? String(e) });
      console.log(`FAIL  ${name}: ${e.stack ?? e}`);
    }
  }
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));
  const server = await startServer();
  const { base } = server;
  console.log(`anju serve --demo at ${base} (database ${dbUrl})`);
  // Launched inside the try: a browser that fails to start must still stop the server, or node
  // waits for it forever.
  let browser = null;
  let officer; // the street officer's { context, page }
  let dashboard = null;
  let cardsBefore = null;
  let importedName = null;
  let advanced = null; // the compound whose step the advance flow recorded
  let signedCompound = null; // the compound whose contract the signing journey signed
  let policyAssigned = false; // whether the policy journey assigned the street a policy
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    await flow('serve --demo prints the demo accounts', async () => {
      const out = server.output();
      for (const u of [STREET_USER, COMPANY_USER]) check(out.includes(u.username), `${u.username} not in:\n${out}`);
      check(out.includes(DEMO_PASSWORD), 'the demo password is not printed');
    });

    await flow('login: a wrong password is refused, the street officer signs in', async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${base}/ledger`);
      check(new URL(page.url()).pathname === '/login', `/ledger without a session showed ${page.url()}`);
      await page.fill('input[name=username]', STREET_USER.username);
      await page.fill('input[name=password]', 'not-the-password');
      await page.click('form.login button[type=submit]');
      await page.waitForSelector('.error');
      check((await page.textContent('.error')).includes('用户名或密码错误'), 'no 用户名或密码错误 message');
      check((await page.inputValue('input[name=username]')) === STREET_USER.username, 'the username typed was not kept');
      await shot(page, 'login-refused');
      await context.close();
      officer = await login(browser, base, STREET_USER, { viewport: { width: 1280, height: 900 } });
      const body = await officer.page.textContent('body');
      check(body.includes(STREET_USER.display), `the page does not name ${STREET_USER.display}`);
      await shot(officer.page, 'street-officer-signed-in');
      // Only the officer's street, in the list and in the API.
      const list = await compoundsJson(officer.context, base);
      check(list.length > 0, 'the officer sees no compound');
      const others = list.filter((c) => c.street !== STREET);
      check(others.length === 0, `the officer sees ${others.length} compounds of other streets`);
    });
    check(officer, 'the street officer could not sign in; the other flows need that');

    dashboard = await dashboardUrl(officer.context, base);
    if (dashboard) cardsBefore = await dashboardCards(officer.page, dashboard);

    await flow('import a ledger through the web', async () => {
      let importUrl = null;
      for (const p of ['/ledger/import', '/import', '/import/ledger']) {
        if ((await get(officer.context, `${base}${p}`)).status === 200) {
          importUrl = `${base}${p}`;
          break;
        }
      }
      skipUnless(importUrl, 'the ledger import page (/ledger/import)');
      const { page } = officer;
      await page.goto(importUrl);
      const name = `浏览器测试小区${Date.now() % 100000}`;
      const input = await page.waitForSelector('input[type=file]');
      await input.setInputFiles(ledgerCsv(name));
      const form = await input.evaluateHandle((i) => i.form);
      await Promise.all([page.waitForNavigation(), form.asElement().$('button[type=submit], button:not([type])').then((b) => b.click())]);
      await shot(page, 'ledger-imported');
      check((await page.textContent('main')).includes('新增 1'), 'the import report does not say 新增 1');
      const found = await compoundsJson(officer.context, base, `?q=${encodeURIComponent(name)}`);
      check(found.length === 1, `after the web import /api/v1/compounds?q=${name} lists ${found.length}`);
      importedName = name;
      // All or nothing: a file with one good and one bad row changes nothing and names the problem.
      const good = `${name}乙`;
      const bad = path.join(tmp, 'bad.csv');
      fs.writeFileSync(bad, fs.readFileSync(ledgerCsv(good), 'utf8') + `2,${name}丙,${STREET},,路2号,2005,900,1,很多,2,无物业,,无\n`);
      await page.goto(importUrl);
      const input2 = await page.waitForSelector('input[type=file]');
      await input2.setInputFiles(bad);
      const form2 = await input2.evaluateHandle((i) => i.form);
      await Promise.all([page.waitForNavigation(), form2.asElement().$('button[type=submit], button:not([type])').then((b) => b.click())]);
      await shot(page, 'ledger-import-refused');
      const report = await page.textContent('main');
      check(report.includes('总户数'), `the refusal does not name the column 总户数: ${report.slice(0, 400)}`);
      check(!report.includes('新增 1'), 'a file with a bad row was reported as imported');
      const none = await compoundsJson(officer.context, base, `?q=${encodeURIComponent(good)}`);
      check(none.length === 0, 'the good row of a refused file was imported');
    });

    await flow('advance a compound on its page, with evidence', async () => {
      const list = await compoundsJson(officer.context, base);
      const probe = await get(officer.context, `${base}/compounds/${list[0].id}`);
      skipUnless(probe.status !== 404, 'the compound page (/compounds/{id})');
      const { page } = officer;
      // The first compound without a company whose page offers a next step.
      let target = null;
      for (const c of list.filter((c) => !c.company).slice(0, 20)) {
        const r = await page.goto(`${base}/compounds/${c.id}`);
        check(r.status() === 200, `/compounds/${c.id} answered ${r.status()}`);
        if (await page.$('form[action$="/advance"] select[name=to] option[value]:not([value=""])')) {
          target = c;
          break;
        }
      }
      check(target, 'no compound without a company offers a next step on its page');
      const stageBefore = (await page.textContent('#stage')).trim();
      const stepsBefore = (await page.$$('ol.timeline li')).length;
      const form = await page.$('form[action$="/advance"]');
      const steps = await form.$$eval('select[name=to] option', (os) => os.map((o) => o.value).filter((v) => v));
      const to = steps[0];
      await form.$('select[name=to]').then((s) => s.selectOption(to));
      if (to === 'decide_mode') await form.$('select[name=mode]').then((s) => s.selectOption({ index: 1 }));
      if (to === 'settle_owners') await form.$('select[name=body]').then((s) => s.selectOption({ index: 1 }));
      if (to === 'select_company') await form.$('select[name=company]').then((s) => s.selectOption({ index: 1 }));
      await form.$('textarea[name=note]').then((t) => t.fill('浏览器测试：入户走访记录'));
      const png = path.join(tmp, 'evidence.png');
      fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
      await form.$('input[type=file][name=evidence]').then((i) => i.setInputFiles(png));
      await Promise.all([page.waitForNavigation(), form.$('button[type=submit]').then((b) => b.click())]);
      await shot(page, 'compound-advanced');
      const refused = await page.$('#advance-error, .error');
      check(!refused, `advancing (${to}) was refused: ${refused && (await refused.textContent())}`);
      check(new URL(page.url()).pathname === `/compounds/${target.id}`, `after advancing the browser is at ${page.url()}`);
      const stepsAfter = await page.$$('ol.timeline li');
      check(stepsAfter.length === stepsBefore + 1, `timeline: ${stepsBefore} steps before, ${stepsAfter.length} after`);
      const last = await page.textContent('ol.timeline li:first-child');
      check(last.includes('浏览器测试：入户走访记录'), `the new step lacks the note: ${last}`);
      check(await page.$('ol.timeline li:first-child a[href^="/evidence/"]'), 'the new step lacks its evidence link');
      console.log(`      ${target.name}: ${stageBefore} → ${(await page.textContent('#stage')).trim()} (${to})`);
      advanced = target;
    });

    await flow('correct that step on a phone (390×844): 更正, both records shown', async () => {
      skipUnless(advanced, 'a step recorded by the flow before');
      const phone = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 } });
      try {
        const { page } = phone;
        await page.goto(`${base}/compounds/${advanced.id}`);
        const link = await page.$('ol.timeline li:first-child a.correct');
        check(link, 'the newest step has no 更正 link');
        await Promise.all([page.waitForNavigation(), link.click()]);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the correction form is ${width}px wide on a 390px phone`);
        const reason = '浏览器测试：日期登记有误';
        // Beijing's yesterday: re-date the step; if the path no longer accepts it (an earlier
        // step dated today), the form comes back with the reason kept, and the step is voided.
        const yesterday = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
        await page.check('input[name=kind][value=redate]');
        await page.fill('input[name=date]', yesterday);
        await page.fill('textarea[name=reason]', reason);
        await shot(page, 'correction-form-phone');
        await Promise.all([page.waitForNavigation(), page.click('form.act button[type=submit]')]);
        if (await page.$('#form-error')) {
          check((await page.inputValue('textarea[name=reason]')) === reason, 'a refused correction lost the reason typed');
          await shot(page, 'correction-refused-phone');
          await page.check('input[name=kind][value=void]');
          await Promise.all([page.waitForNavigation(), page.click('form.act button[type=submit]')]);
        }
        const refused = await page.$('#form-error');
        check(!refused, `the correction was refused: ${refused && (await refused.textContent())}`);
        check(new URL(page.url()).pathname === `/compounds/${advanced.id}`, `after correcting the browser is at ${page.url()}`);
        const old = await page.$('ol.timeline li.superseded');
        check(old, 'the corrected step is not marked superseded');
        check((await old.textContent()).includes(reason), 'the superseded step does not show the reason');
        const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        check(pageWidth <= 390, `the compound page is ${pageWidth}px wide on a 390px phone`);
        await page.$eval('#timeline', (e) => e.scrollIntoView());
        await shot(page, 'step-corrected-phone');
      } finally {
        await phone.context.close();
      }
    });

    await flow('enter an assessment on a phone (390×844)', async () => {
      const list = await compoundsJson(officer.context, base);
      const target = list.find((c) => c.company) ?? list[0];
      const url = `${base}/assessments/new?compound=${target.id}`;
      skipUnless((await get(officer.context, url)).status !== 404, 'the assessment entry page (/assessments/new)');
      const phone = await login(browser, base, STREET_USER, {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const { page } = phone;
        const r = await page.goto(url);
        check(r.status() === 200, `${url} answered ${r.status()}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the assessment page is ${width}px wide on a 390px phone (scrolls sideways)`);
        const form = await page.$('form#assess-form');
        check(form, 'no form#assess-form on the assessment page');
        const year = new Date().getFullYear();
        await form.$('input[name=period]').then((i) => i.fill(`${year}${new Date().getMonth() < 6 ? 'H1' : 'H2'}`));
        // Two taps on the + button of the first deduction that may count twice: the running
        // total drops, the same as typing 2.
        const totalBefore = number(await page.textContent('#running-total'));
        let card = null;
        for (const d of await form.$$('section.item:not([data-satisfaction]) .ded')) {
          const max = await d.$eval('input', (i) => i.max);
          if (max === '' || Number(max) >= 2) {
            card = d;
            break;
          }
        }
        check(card, 'no deduction on the form can count twice');
        const item = (await card.evaluate((d) => d.closest('section.item').querySelector('h3').textContent)).split('.')[0].trim();
        const plus = await card.$('button.plus');
        await plus.tap();
        await plus.tap();
        const taps = await card.$eval('input', (i) => i.value);
        check(taps === '2', `two taps on + made ${taps}`);
        const totalAfter = number(await page.textContent('#running-total'));
        check(totalAfter < totalBefore, `running total ${totalBefore} → ${totalAfter} after two deductions`);
        const rate = await form.$('input[name=rate]');
        if (rate) await rate.fill('90%');
        const png = path.join(tmp, 'photo.png');
        fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
        await form.$(`input[type=file][name="photo.${item}"]`).then((i) => i.setInputFiles(png));
        await shot(page, 'assessment-phone-filled');
        await Promise.all([page.waitForNavigation(), form.$('button[name=action][value=submit]').then((b) => b.tap())]);
        await shot(page, 'assessment-phone-saved');
        const refused = await page.$('#form-error, .error');
        check(!refused, `the assessment was refused: ${refused && (await refused.textContent())}`);
        check(/^\/assessments\/\d+$/.test(new URL(page.url()).pathname), `after saving the browser is at ${page.url()}`);
        check((await page.textContent(`#item-${item}`)).includes('× 2'), `the scorecard's item ${item} does not show the two deductions`);
        console.log(`      ${target.name}: ${(await page.textContent('#status')).trim()}, total ${(await page.textContent('#total')).trim()}`);
      } finally {
        await phone.context.close();
      }
    });

    await flow('a resident answers a survey by link on a phone', async () => {
      const list = await compoundsJson(officer.context, base);
      const target = list.find((c) => c.company && c.households > 0);
      check(target, 'no compound with a company and households in the demo street');
      const year = new Date().getFullYear();
      const half = new Date().getMonth() < 6 ? 'H1' : 'H2';
      // The street office opens the survey from the compound's page, in the browser.
      const op = officer.page;
      await op.goto(`${base}/compounds/${target.id}`);
      await Promise.all([op.waitForNavigation(), op.click('#new-survey')]);
      await op.fill('input[name=period]', `${year}${half}`);
      await op.check('input[name=rule][value=daqintala]');
      await op.fill('input[name=tokens]', '2');
      await shot(op, 'survey-open-form');
      await Promise.all([op.waitForNavigation(), op.click('#open')]);
      const surveyId = new URL(op.url()).pathname.match(/\/surveys\/(\d+)/)?.[1];
      const tokens = [...(await op.content()).matchAll(/href="\/s\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]);
      check(surveyId && tokens.length === 2, `the survey page shows no id or not two links: ${op.url()}`);
      await shot(op, 'survey-opened');
      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      const r = await page.goto(`${base}/s/${tokens[0]}`);
      check(r.status() === 200, `/s/<token> answered ${r.status()}`);
      check((await page.textContent('header')).includes(target.name), `the survey page does not name ${target.name}`);
      // Submitting without choosing is refused with the question named, the comment kept.
      await page.fill('textarea[name=comment]', '楼道很干净');
      await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
      check(!(await page.$('.msg.ok')), 'an answer without 满意/不满意 was accepted');
      check((await page.inputValue('textarea[name=comment]')) === '楼道很干净', 'the comment typed was lost');
      await shot(page, 'survey-refused-without-choice');
      await page.check('input[name=satisfied][value=yes]');
      await page.selectOption('select[name=score]', '5');
      await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
      await page.waitForSelector('.msg.ok');
      await shot(page, 'survey-answered');
      // The link works once.
      await page.goto(`${base}/s/${tokens[0]}`);
      check((await page.textContent('main')).includes('已使用'), 'a used link still offers the form');
      check(!(await page.$('form')), 'a used link still shows the form');
      await context.close();
      // The office sees the answer on the survey's page; the command line agrees.
      await op.goto(`${base}/surveys/${surveyId}`);
      check((await op.textContent('main')).includes('已提交'), 'the survey page does not show the answered link');
      await shot(op, 'survey-result');
      const result = JSON.parse(anju('survey', 'result', surveyId, '--format', 'json'));
      check(result.responses === 1 && result.satisfied === 1, `survey result after one answer: ${JSON.stringify(result)}`);
    });

    await flow('a resident complaint: the company signs and answers on a phone, the street rates and closes', async () => {
      const company = await login(browser, base, COMPANY_USER, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      try {
        const own = await compoundsJson(company.context, base);
        const streetIds = new Set((await compoundsJson(officer.context, base)).map((c) => c.id));
        const target = own.find((c) => streetIds.has(c.id));
        check(target, 'no compound of the company in the officer\'s street');
        // The public page's address is printed on the notice in the compound (set up once).
        const link = anju('accounts', 'public-link', '--compound', String(target.id)).trim();
        const key = link.split('/p/')[1];
        check(key, `anju accounts public-link printed no key: ${link}`);
        // 1. A resident on a phone, without an account.
        const resident = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
        const rp = await resident.newPage();
        await rp.goto(`${base}/p/${key}`);
        const text = `楼道灯坏了两周 ${Date.now() % 100000}`;
        await rp.selectOption('select[name=category]', '设施维修');
        await rp.fill('textarea[name=text]', text);
        await Promise.all([rp.waitForNavigation(), rp.click('form.complaint button[type=submit], form[action*="/complaint"] button[type=submit]')]);
        const done = await rp.textContent('main');
        const id = done.match(/编号 (\d+)/)?.[1];
        check(id, `the resident was not told the complaint's number: ${done}`);
        await shot(rp, 'complaint-resident-received');
        await resident.close();
        // 2. The company, on its phone: the complaint is in its list; it signs, then answers
        //    with a photo.
        const { page } = company;
        await page.goto(`${base}/complaints`);
        check((await page.textContent('main')).includes(target.name), 'the company\'s complaint list does not show the complaint');
        const listWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        check(listWidth <= 390, `the complaint list is ${listWidth}px wide on a 390px phone`);
        await shot(page, 'complaint-company-list-phone');
        await page.goto(`${base}/complaints/${id}`);
        check((await page.textContent('main')).includes(text), 'the complaint page does not show the text');
        await Promise.all([page.waitForNavigation(), page.click('#sign')]);
        check((await page.textContent('main')).includes('已签收'), 'after 签收 the complaint is not 已签收');
        // An empty answer is refused with the field named; nothing typed is lost.
        await page.fill('textarea[name=text]', '   ');
        await page.$eval('textarea[name=text]', (t) => t.removeAttribute('required'));
        await Promise.all([page.waitForNavigation(), page.click('#answer')]);
        check((await page.textContent('#error')).includes('答复内容'), 'an empty answer was not refused naming 答复内容');
        const png = path.join(tmp, 'answer.png');
        fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
        await page.fill('textarea[name=text]', '已更换楼道灯泡，恢复照明');
        await page.setInputFiles('input[type=file][name=evidence]', png);
        await shot(page, 'complaint-company-answer-phone');
        await Promise.all([page.waitForNavigation(), page.click('#answer')]);
        const answered = await page.textContent('main');
        check(answered.includes('已答复') && answered.includes('已更换楼道灯泡'), 'after 答复 the complaint is not 已答复 with the answer');
        // The photo is listed under the answer (by the name it was first uploaded under: the
        // same bytes are kept once).
        check(answered.includes('答复：'), 'the answer\'s photo is not listed');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the complaint page is ${width}px wide on a 390px phone`);
        await shot(page, 'complaint-company-answered-phone');
        // 3. The street officer records the resident's rating and closes it.
        await officer.page.goto(`${base}/complaints/${id}`);
        await officer.page.selectOption('select[name=rating]', '4');
        await Promise.all([officer.page.waitForNavigation(), officer.page.click('#rate')]);
        check((await officer.page.textContent('main')).includes('4 / 5'), 'the rating was not recorded');
        await Promise.all([officer.page.waitForNavigation(), officer.page.click('#close')]);
        check((await officer.page.textContent('main')).includes('已办结'), 'the complaint was not closed');
        await shot(officer.page, 'complaint-closed');
      } finally {
        await company.context.close();
      }
    });

    await flow('the dashboard changes after a change to the ledger', async () => {
      skipUnless(dashboard, 'the dashboard (/dashboard or /)');
      if (!importedName) {
        // No web import ran: the office imports a file with the command line instead.
        importedName = `命令行导入小区${Date.now() % 100000}`;
        anju('import', 'ledger', ledgerCsv(importedName));
      }
      const after = await dashboardCards(officer.page, dashboard);
      await shot(officer.page, 'dashboard-after');
      const label = '小区数';
      check(label in cardsBefore, `no ${label} card on the dashboard: ${JSON.stringify(cardsBefore)}`);
      check(
        number(after[label]) === number(cardsBefore[label]) + 1,
        `${label}: ${cardsBefore[label]} before, ${after[label]} after importing one compound`,
      );
    });

    await flow('a company user cannot open another company\'s compound (403)', async () => {
      const company = await login(browser, base, COMPANY_USER);
      try {
        await shot(company.page, 'company-signed-in');
        const own = await compoundsJson(company.context, base);
        check(own.length > 0, 'the company user sees no compound');
        const companies = new Set(own.map((c) => c.company));
        check(companies.size === 1, `the company user sees compounds of ${[...companies].join('、')}`);
        const all = await compoundsJson(officer.context, base);
        const other = all.find((c) => c.company && !companies.has(c.company));
        check(other, 'no compound of another company in the street');
        check(!own.some((c) => c.id === other.id), 'another company\'s compound is in the company\'s list');
        const ledger = await get(company.context, `${base}/ledger?q=${encodeURIComponent(other.name)}`);
        check(ledger.status === 200 && !ledger.text.includes(`>${other.name}<`), 'the ledger search shows another company\'s compound');
        // The JSON API says the same, with a stable code.
        const apiMine = await get(company.context, `${base}/api/v1/compounds/${own[0].id}`);
        if (apiMine.status !== 404) {
          check(apiMine.status === 200, `GET /api/v1/compounds/{own} answered ${apiMine.status}`);
          const apiTheirs = await get(company.context, `${base}/api/v1/compounds/${other.id}`);
          check(apiTheirs.status === 403, `GET /api/v1/compounds/{other company's} answered ${apiTheirs.status}, not 403`);
          check(JSON.parse(apiTheirs.text).code === 'forbidden', `403 body: ${apiTheirs.text}`);
        }
        const mine = await get(company.context, `${base}/compounds/${own[0].id}`);
        skipUnless(mine.status !== 404, 'the compound page (/compounds/{id})');
        check(mine.status === 200, `the company's own compound page answered ${mine.status}`);
        const theirs = await company.page.goto(`${base}/compounds/${other.id}`);
        await shot(company.page, 'company-forbidden');
        check(theirs.status() === 403, `another company's compound page answered ${theirs.status()}, not 403`);
      } finally {
        await company.context.close();
      }
    });

    // ----------------------------------------------------------------------------------------
    // Journeys through the pages only: links, forms and buttons as a person uses them (the
    // JSON API only to read which compound to use).

    await flow('journey: the street officer signs the contract on the compound page and files it', async () => {
      const { page } = officer;
      const list = await compoundsJson(officer.context, base);
      const used = new Set([advanced?.id, ...(list.filter((c) => c.company).slice(0, 1).map((c) => c.id))]);
      // A compound at 已选定物业企业, or one without a company walked there on its page.
      let target = null;
      for (const c of list.filter((c) => !used.has(c.id)).slice(0, 40)) {
        await openFromLedger(page, base, c.name);
        if (await page.$('#sign-form')) {
          target = c;
          break;
        }
        if (!target && !c.company && (await page.$('form[action*="/advance"] select[name=to] option[value=consult]'))) {
          target = c;
          break;
        }
      }
      check(target, 'no compound at 已选定物业企业 and none to walk there');
      const walked = [];
      for (let i = 0; i < 6 && !(await page.$('#sign-form')); i += 1) {
        const form = page.locator('form[action*="/advance"]');
        const steps = await form.locator('select[name=to] option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
        const to = ['select_company', 'settle_owners', 'decide_mode', 'consult'].find((s) => steps.includes(s));
        check(to, `the compound page offers no step towards 已选定物业企业 (offers ${steps.join(', ')})`);
        await form.getByLabel('下一步骤').selectOption(to);
        if (to === 'decide_mode') await form.locator('select[name=mode]').selectOption({ label: '专业化物业' });
        if (to === 'settle_owners') await form.locator('select[name=body]').selectOption({ label: '业主委员会' });
        if (to === 'select_company') await form.locator('select[name=company]').selectOption({ index: 1 });
        await form.locator('textarea[name=note]').fill(`浏览器测试：${to}`);
        await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: '记录此步骤' }).click()]);
        const refused = await page.$('#advance-error');
        check(!refused, `the step ${to} was refused: ${refused && (await refused.textContent())}`);
        walked.push(to);
      }
      check(await page.$('#sign-form'), `after ${walked.join(' → ')} the compound page offers no signing form`);
      check((await page.textContent('#stage')).includes('已选定物业企业'), `the stage is ${(await page.textContent('#stage')).trim()}`);
      const company = (await page.textContent('#contracts h3')).split('·').pop().trim();
      await shot(page, 'journey-sign-form');
      // The signing form: who signs, the term and level as offered, a fee typed.
      const sign = page.locator('#sign-form');
      await sign.getByLabel('签约方').selectOption({ label: '业主组织' });
      await sign.getByLabel('签约人姓名').fill('业委会主任 王建国');
      await sign.getByLabel('多层物业费').fill('0.90');
      await Promise.all([page.waitForNavigation(), sign.getByRole('button', { name: '签订合同' }).click()]);
      const refused = await page.$('#contract-error');
      check(!refused, `signing was refused: ${refused && (await refused.textContent())}`);
      check(new URL(page.url()).pathname === `/compounds/${target.id}`, `after signing the browser is at ${page.url()}`);
      check((await page.textContent('#stage')).includes('已签订合同'), `after signing the stage is ${(await page.textContent('#stage')).trim()}`);
      check(!(await page.$('#sign-form')), 'the signing form is still offered after signing');
      const contracts = await page.textContent('#contracts');
      check(contracts.includes(company) && contracts.includes('王建国') && contracts.includes('履行中'), `the contract is not listed: ${contracts.slice(0, 600)}`);
      await shot(page, 'journey-contract-signed');
      // 备案, when the page offers it.
      const file = page.locator('#contracts form').filter({ has: page.getByRole('button', { name: '登记备案' }) });
      if (await file.count()) {
        await Promise.all([page.waitForNavigation(), file.getByRole('button', { name: '登记备案' }).click()]);
        const fileRefused = await page.$('#contract-error');
        check(!fileRefused, `filing was refused: ${fileRefused && (await fileRefused.textContent())}`);
        check((await page.textContent('#stage')).includes('合同已备案'), `after filing the stage is ${(await page.textContent('#stage')).trim()}`);
        check(!(await page.getByRole('button', { name: '登记备案' }).count()), 'the filing button is still offered after filing');
        await shot(page, 'journey-contract-filed');
      } else {
        console.log('      the page offers no 登记备案 for the new contract');
      }
      console.log(`      ${target.name}: ${walked.length ? `${walked.join(' → ')} → ` : ''}签订（${company}）→ ${(await page.textContent('#stage')).trim()}`);
      signedCompound = target;
    });

    await flow('journey: the housing authority commissions ceping; ceping scores the compound on a phone', async () => {
      const list = await compoundsJson(officer.context, base);
      const used = new Set([advanced?.id, signedCompound?.id, ...(list.filter((c) => c.company).slice(0, 1).map((c) => c.id))]);
      const target = list.find((c) => c.company && !used.has(c.id));
      check(target, 'no other compound with a company in the street');
      // The street office may not commission: its page offers no form.
      await openFromLedger(officer.page, base, target.name);
      check(!(await officer.page.getByRole('button', { name: '委托', exact: true }).count()), 'the street officer is offered the 委托 button');
      const evaluator = await login(browser, base, { username: 'ceping' }, PHONE);
      try {
        const ep = evaluator.page;
        // Before commissioning: the compound's page offers the evaluator no 新增考核评分, and
        // the assessment page (its address typed) refuses it.
        await openFromLedger(ep, base, target.name);
        const compoundUrl = ep.url();
        check(!(await ep.getByRole('link', { name: '新增考核评分' }).count()), 'before commissioning the compound page offers the evaluator 新增考核评分');
        const before = await ep.goto(`${base}/assessments/new?compound=${target.id}`);
        check(before.status() === 403, `before commissioning the assessment page answered ${before.status()}, not 403`);
        check((await ep.textContent('body')).includes('未受委托'), 'the refusal does not say 未受委托');
        await shot(ep, 'journey-evaluator-refused-phone');
        // The housing authority commissions it on the compound's page.
        const zj = await login(browser, base, { username: 'zhujian' }, { viewport: { width: 1280, height: 900 } });
        try {
          const zp = zj.page;
          await openFromLedger(zp, base, target.name);
          const input = zp.getByLabel('委托测评机构');
          const offered = await zp.locator('#evaluator-names option').evaluateAll((os) => os.map((o) => o.value));
          check(offered.includes('ceping'), `the evaluators offered: ${offered.join('、')}`);
          await input.fill('ceping');
          await Promise.all([zp.waitForNavigation(), zp.getByRole('button', { name: '委托', exact: true }).click()]);
          check(!(await zp.$('.error')), `commissioning was refused: ${await zp.textContent('main')}`);
          check((await zp.textContent('#evaluators')).includes('ceping'), `the page does not list ceping: ${await zp.textContent('#evaluators')}`);
          await shot(zp, 'journey-evaluator-commissioned');
        } finally {
          await zj.context.close();
        }
        // The evaluator, on its phone: the compound's page, then 新增考核评分.
        await ep.goto(compoundUrl);
        const width0 = await ep.evaluate(() => document.documentElement.scrollWidth);
        check(width0 <= 390, `the compound page is ${width0}px wide on a 390px phone`);
        const link = ep.getByRole('link', { name: '新增考核评分' });
        check(await link.count(), 'the compound page offers the evaluator no 新增考核评分 link');
        const [resp] = await Promise.all([ep.waitForNavigation(), link.click()]);
        check(resp.status() === 200, `the assessment page answered ${resp.status()}`);
        const width = await ep.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the assessment page is ${width}px wide on a 390px phone (scrolls sideways)`);
        const form = ep.locator('form#assess-form');
        const year = new Date().getFullYear();
        await form.locator('input[name=period]').fill(`${year}${new Date().getMonth() < 6 ? 'H1' : 'H2'}`);
        const plus = form.locator('section.item:not([data-satisfaction]) .ded button.plus').first();
        await plus.tap();
        const rate = form.locator('input[name=rate]');
        if (await rate.count()) await rate.fill('88%');
        await shot(ep, 'journey-evaluator-form-phone');
        await Promise.all([ep.waitForNavigation(), form.locator('button[name=action][value=submit]').tap()]);
        const refused = await ep.$('#form-error, .error');
        check(!refused, `the evaluator's assessment was refused: ${refused && (await refused.textContent())}`);
        check(/^\/assessments\/\d+$/.test(new URL(ep.url()).pathname), `after saving the browser is at ${ep.url()}`);
        const width2 = await ep.evaluate(() => document.documentElement.scrollWidth);
        check(width2 <= 390, `the scorecard is ${width2}px wide on a 390px phone`);
        await shot(ep, 'journey-evaluator-saved-phone');
        console.log(`      ${target.name}: ceping ${(await ep.textContent('#status')).trim()}, total ${(await ep.textContent('#total')).trim()}`);
      } finally {
        await evaluator.context.close();
      }
    });

    await flow('journey: 红色物业 — on a 390 px phone the community records a 三方联动议事会 and a 党支部; ceping\'s assessment form shows the party items scored from them', async () => {
      const community = await login(browser, base, { username: 'shequ' }, PHONE);
      const today = new Date().toISOString().slice(0, 10);
      try {
        const cp = community.page;
        // 1. The monthly 三方联动议事会, filed under the community.
        await cp.goto(`${base}/organisation/meetings/new`);
        await cp.selectOption('select[name=kind]', 'tripartite');
        await cp.fill('#title', '本月三方联动议事会（浏览器测试）');
        await cp.fill('#attendees', '社区书记、业委会主任、物业项目经理');
        await cp.fill('#minutes', '商定楼道清理与车棚维修。');
        await cp.fill('#held_on', today);
        const w0 = await cp.evaluate(() => document.documentElement.scrollWidth);
        check(w0 <= 390, `the meeting form is ${w0}px wide on a 390px phone`);
        await Promise.all([cp.waitForNavigation(), cp.click('#save-meeting')]);
        check(/\/organisation\/meetings\/\d+$/.test(new URL(cp.url()).pathname), `saving the meeting went to ${cp.url()}`);
        // 2. A 党支部 of three members for a compound of the community, from its page.
        const list = await compoundsJson(community.context, base);
        const target = list.find((c) => c.company) ?? list[0];
        check(target, 'the community reads no compound');
        const r = await cp.goto(`${base}/compounds/${target.id}/party`);
        skipUnless(r.status() !== 404, 'the red property page (/compounds/{id}/party)');
        await cp.selectOption('#party-add select[name=kind]', 'branch');
        await cp.fill('#party-add input[name=name]', '物业项目党支部（浏览器测试）');
        await cp.fill('#party-add input[name=members]', '3');
        await cp.fill('#party-add input[name=started_on]', today);
        const w1 = await cp.evaluate(() => document.documentElement.scrollWidth);
        check(w1 <= 390, `the red property page is ${w1}px wide on a 390px phone`);
        await Promise.all([cp.waitForNavigation(), cp.click('#add-party')]);
        check(!(await cp.$('#error')), `the branch was refused: ${await cp.textContent('main')}`);
        check((await cp.textContent('#records')).includes('物业项目党支部（浏览器测试）'), 'the branch is not listed');
        await shot(cp, 'journey-party-phone');
        // 3. The housing authority commissions ceping for the compound (unless it already is).
        const zj = await login(browser, base, { username: 'zhujian' }, { viewport: { width: 1280, height: 900 } });
        try {
          const zp = zj.page;
          await zp.goto(`${base}/compounds/${target.id}`);
          if (!(await zp.textContent('body')).includes('ceping')) {
            await zp.getByLabel('委托测评机构').fill('ceping');
            await Promise.all([zp.waitForNavigation(), zp.getByRole('button', { name: '委托', exact: true }).click()]);
          }
        } finally {
          await zj.context.close();
        }
        // 4. ceping's form for this quarter: the party items from records.
        const evaluator = await login(browser, base, { username: 'ceping' }, PHONE);
        try {
          const ep = evaluator.page;
          const now = new Date();
          const period = `${now.getFullYear()}Q${Math.floor(now.getMonth() / 3) + 1}`;
          const month = today.slice(0, 7);
          const f = await ep.goto(`${base}/assessments/new?compound=${target.id}&period=${period}`);
          check(f.status() === 200, `the assessment form answered ${f.status()}`);
          const w2 = await ep.evaluate(() => document.documentElement.scrollWidth);
          check(w2 <= 390, `the assessment form is ${w2}px wide on a 390px phone`);
          const body = await ep.textContent('#assess-form');
          check(body.includes('据记录'), 'the form marks no count 据记录');
          check(await ep.inputValue('input[name="d.6.party_org_lacking"]') === '0', 'item 6 is not scored from the branch');
          const missed = await ep.locator('.ded:has(input[name="d.7.tripartite_meeting_missed"]) .from-records').textContent();
          check(!missed.includes(month), `this month's meeting is not counted: ${missed}`);
          await shot(ep, 'journey-party-assessment-phone');
          const rate = ep.locator('input[name=rate]');
          if (await rate.count()) await rate.fill('90%');
          await Promise.all([ep.waitForNavigation(), ep.locator('button[name=action][value=draft]').tap()]);
          check(/^\/assessments\/\d+$/.test(new URL(ep.url()).pathname), `after saving the browser is at ${ep.url()}`);
          check((await ep.textContent('#item-6')).includes('据记录'), 'the scorecard does not mark item 6 据记录');
          console.log(`      ${target.name} ${period}: ${(await ep.textContent('#item-7')).replace(/\s+/g, ' ').trim().slice(0, 80)}`);
        } finally {
          await evaluator.context.close();
        }
      } finally {
        await community.context.close();
      }
    });

    await flow('journey: 业委会 — the owners\' committee\'s member signs in on a 390 px phone, lands on the compound\'s page, reads the fund and its votes, applies for a use of the fund; another compound is refused', async () => {
      const member = await login(browser, base, { username: 'yeweihui' }, PHONE);
      try {
        const p = member.page;
        await p.goto(`${base}/dashboard`);
        const own = new URL(p.url()).pathname;
        check(/^\/compounds\/\d+$/.test(own), `the member's 工作台 is ${p.url()}, not the compound's page`);
        const w0 = await p.evaluate(() => document.documentElement.scrollWidth);
        check(w0 <= 390, `the compound page is ${w0}px wide on a 390px phone`);
        const nav = await p.textContent('header');
        check(nav.includes('本小区'), 'the navigation offers no 本小区');
        check(!nav.includes('任务') && !nav.includes('报表'), `the navigation offers the officials' pages: ${nav.replace(/\s+/g, ' ')}`);
        // The votes the owners took, and the fund.
        await Promise.all([p.waitForNavigation(), p.click('#votes-link')]);
        check((await p.textContent('main')).includes('使用维修资金'), 'the votes page lists no fund vote');
        await p.goto(`${base}${own}`);
        await Promise.all([p.waitForNavigation(), p.click('#fund-link')]);
        check((await p.textContent('#balance')).includes('元'), 'the fund page shows no balance');
        await p.fill('form[action*="/fund/uses"] input[name=title]', '楼道照明更换（浏览器测试）');
        await p.fill('form[action*="/fund/uses"] input[name=cost]', '3,200.00');
        const w1 = await p.evaluate(() => document.documentElement.scrollWidth);
        check(w1 <= 390, `the fund page is ${w1}px wide on a 390px phone`);
        await Promise.all([p.waitForNavigation(), p.click('#apply-use')]);
        check(!(await p.$('.error')), `the application was refused: ${await p.textContent('main')}`);
        check((await p.textContent('main')).includes('楼道照明更换（浏览器测试）'), 'the use applied for is not listed');
        check(!(await p.$('#deposit')), 'the member is offered 住建\'s deposit form');
        await shot(p, 'journey-owners-body-fund-phone');
        // Another compound: refused.
        const id = Number(own.split('/').pop());
        const other = await p.goto(`${base}/compounds/${id === 1 ? 2 : 1}`);
        check(other.status() === 403, `another compound's page answered ${other.status()}, not 403`);
      } finally {
        await member.context.close();
      }
    });

    await flow('journey: the administrator assigns a subsidy policy to the street on /funding', async () => {
      const admin = await login(browser, base, { username: 'admin' }, { viewport: { width: 1280, height: 900 } });
      try {
        const { page } = admin;
        await Promise.all([page.waitForNavigation(), page.locator('nav').getByRole('link', { name: '补贴' }).click()]);
        check(new URL(page.url()).pathname === '/funding', `the 补贴 link led to ${page.url()}`);
        const policies = page.locator('#policies');
        const form = page.locator('#policy-form');
        check(await form.count(), 'the administrator is offered no policy form on /funding');
        await form.locator('select[name=level]').selectOption({ label: '街道' });
        await form.locator('input[name=region]').fill(STREET);
        const choices = await form.getByLabel('政策').locator('option').evaluateAll((os) => os.map((o) => o.textContent.trim()));
        const title = choices.find((t) => t.includes('大沁他拉') || t.includes('daqintala')) ?? choices[0];
        await form.getByLabel('政策').selectOption({ label: title });
        await form.getByLabel('起始日期').fill(`${new Date().getFullYear()}-01-01`);
        await shot(page, 'journey-policy-form');
        await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: '指定政策' }).click()]);
        const refused = await page.$('#error');
        check(!refused, `the assignment was refused: ${refused && (await refused.textContent())}`);
        const rows = await policies.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
        check(rows.some((r) => r.includes(STREET) && r.includes(title)), `the policies listed: ${rows.join(' | ')}`);
        const text = await page.textContent('main');
        check(!/anju\s+(funding|policy)|命令行/.test(text), 'the funding page still sends the user to a command');
        check(!text.includes('尚未为任何街道或区县指定补贴政策'), 'the page still says no policy is assigned');
        await shot(page, 'journey-policy-assigned');
        console.log(`      ${STREET}: ${title}`);
        policyAssigned = true;
      } finally {
        await admin.context.close();
      }
    });

    await flow('journey: the administrator adds an account on /users; the new user signs in to the 工作台', async () => {
      const admin = await login(browser, base, { username: 'admin' }, { viewport: { width: 1280, height: 900 } });
      const user = { username: `shequ${Date.now() % 100000}`, display: '社区 浏览器测试员', password: 'liulanqi-2026-ceshi' };
      try {
        const { page } = admin;
        await page.goto(`${base}/users`);
        const form = page.locator('#create-user');
        await form.getByLabel('用户名').fill(user.username);
        await form.getByLabel('姓名').fill(user.display);
        await form.getByLabel('角色').selectOption({ label: '社区' });
        const area = await form.getByLabel('管辖范围').locator('option').evaluateAll((os) => os.map((o) => o.textContent.trim()));
        const community = area.find((a) => a.endsWith('（社区）'));
        check(community, `no community among the areas offered: ${area.join('、')}`);
        await form.getByLabel('管辖范围').selectOption({ label: community });
        // A password too short is refused, the rest kept.
        await form.getByLabel('初始密码').fill('short');
        await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: '新增' }).click()]);
        check(await page.$('#error'), 'a 5-character password was accepted');
        check((await page.inputValue('#create-user input[name=username]')) === user.username, 'the username typed was lost');
        await shot(page, 'journey-user-refused');
        await page.locator('#create-user').getByLabel('初始密码').fill(user.password);
        await Promise.all([page.waitForNavigation(), page.locator('#create-user').getByRole('button', { name: '新增' }).click()]);
        const refused = await page.$('#error');
        check(!refused, `the account was refused: ${refused && (await refused.textContent())}`);
        const card = page.locator(`#user-${user.username}`);
        check(await card.count(), `the new account is not listed on /users`);
        check((await card.textContent()).includes(community.replace('（社区）', '')), `the new account's area: ${await card.textContent()}`);
        await shot(page, 'journey-user-created');
        // Sign out; the new user signs in with the password set.
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '退出登录' }).click()]);
        check(new URL(page.url()).pathname === '/login', `after 退出登录 the browser is at ${page.url()}`);
        await page.fill('input[name=username]', user.username);
        await page.fill('input[name=password]', user.password);
        await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
        check(new URL(page.url()).pathname === '/', `the new user landed on ${page.url()}, not /`);
        const body = await page.textContent('body');
        check(body.includes('工作台') && body.includes(user.display), `the 工作台 does not name ${user.display}`);
        await shot(page, 'journey-new-user-dashboard');
      } finally {
        await admin.context.close();
      }
    });

    await flow('journey: 一张图 drawn offline on a desk and on a phone; a compound without coordinates gets them', async () => {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
        const { context, page } = await login(browser, base, STREET_USER, { viewport });
        await page.goto(`${base}/map`);
        await page.waitForSelector('#map[data-drawn]');
        const drawn = Number(await page.getAttribute('#map', 'data-drawn'));
        check(drawn > 100, `the map drew ${drawn} compounds`);
        check((await page.locator('.street-label').count()) > 0, 'no street named on the plain (offline) map');
        const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        check(!wide, `the map page is wider than the screen at ${viewport.width} px`);
        await shot(page, `map-${viewport.width}`);
        // A dot opens its popup; the popup's link opens the compound.
        await page.locator('path.leaflet-interactive').first().click({ force: true });
        const link = page.locator('.leaflet-popup-content a');
        await link.waitFor();
        await Promise.all([page.waitForNavigation(), link.click()]);
        check(/\/compounds\/\d+/.test(new URL(page.url()).pathname), `the popup's link opened ${page.url()}`);
        if (viewport.width === 1280 && importedName) {
          // The compound the import made has no coordinates: it is listed, and gets them here.
          await page.goto(`${base}/map?street=${encodeURIComponent(STREET)}`);
          await page.waitForSelector('#map[data-drawn]');
          const before = Number(await page.getAttribute('#map', 'data-drawn'));
          const item = page.locator('#unplaced li', { hasText: importedName });
          check((await item.count()) === 1, `${importedName} is not listed without coordinates`);
          await item.locator('input[name=lat]').fill('北纬42度');
          await Promise.all([page.waitForNavigation(), item.locator('button[type=submit]').click()]);
          check((await page.textContent('#refused')).includes('纬度'), 'a wrong latitude is not refused naming 纬度');
          const again = page.locator('#unplaced li', { hasText: importedName });
          check((await again.locator('input[name=lat]').inputValue()) === '北纬42度', 'what was typed was not kept');
          // Beside a neighbour: the first compound the map draws, a little to the north.
          const near = JSON.parse(await page.textContent('#map-data')).points[0];
          await again.locator('input[name=lat]').fill((near.lat + 0.0008).toFixed(6));
          await again.locator('input[name=lng]').fill(near.lng.toFixed(6));
          await Promise.all([page.waitForNavigation(), again.locator('button[type=submit]').click()]);
          await page.waitForSelector('#map[data-drawn]');
          const after = Number(await page.getAttribute('#map', 'data-drawn'));
          check(after === before + 1, `the map drew ${after} after setting coordinates (was ${before})`);
          check((await page.locator('#unplaced li', { hasText: importedName }).count()) === 0, 'still listed without coordinates');
          await shot(page, 'map-coordinates-set');
        }
        await context.close();
      }
    });

    await flow('journey: 修改台账信息 and 新增小区 on a phone (390×844)', async () => {
      const { context, page } = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 } });
      const list = await compoundsJson(context, base, `?street=${encodeURIComponent(STREET)}`);
      const c = list.find((x) => x.compound && x.compound.households) ?? list[0];
      await page.goto(`${base}/compounds/${c.id}`);
      await Promise.all([page.waitForNavigation(), page.click('#edit')]);
      const wide = async () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      check(!(await wide()), 'the ledger row form is wider than the phone');
      await page.fill('input[name="建成年份"]', '明年');
      await page.fill('input[name="户数"]', '222');
      await Promise.all([page.waitForNavigation(), page.click('form.ledger-row button[type=submit]')]);
      check((await page.textContent('#refused')).includes('建成年份'), 'a bad year is not refused naming 建成年份');
      check((await page.inputValue('input[name="户数"]')) === '222', 'what was typed was not kept');
      await shot(page, 'ledger-row-refused-390');
      await page.fill('input[name="建成年份"]', '1999');
      await Promise.all([page.waitForNavigation(), page.click('form.ledger-row button[type=submit]')]);
      check(new URL(page.url()).pathname === `/compounds/${c.id}`, `saving went to ${page.url()}`);
      check((await page.textContent('#facts')).includes('222'), 'the compound page does not show 222 households');
      // 新增小区 from the ledger page.
      await page.goto(`${base}/ledger`);
      await Promise.all([page.waitForNavigation(), page.click('#add')]);
      const name = `手机新增小区${Date.now() % 100000}`;
      await page.fill('input[name="小区名称"]', name);
      await page.selectOption('select[name="物业管理方式"]', '无物业（弃管）');
      await page.fill('input[name="户数"]', '36');
      await Promise.all([page.waitForNavigation(), page.click('form.ledger-row button[type=submit]')]);
      check(/\/compounds\/\d+$/.test(new URL(page.url()).pathname), `adding went to ${page.url()}`);
      check((await page.textContent('main h2')).includes(name), 'the new compound page does not name it');
      await shot(page, 'compound-added-390');
      await context.close();
    });

    await flow('journey: the company enters a month of fees and a spending line on a phone; the street records a 12345 complaint', async () => {
      const { context, page } = await login(browser, base, COMPANY_USER, { viewport: { width: 390, height: 844 } });
      const mine = await compoundsJson(context, base);
      check(mine.length > 0, 'the company serves no compound');
      const c = mine.find((x) => x.compound && x.compound.street === STREET) ?? mine[0];
      await page.goto(`${base}/compounds/${c.id}`);
      await Promise.all([page.waitForNavigation(), page.click('#enter-fees')]);
      await page.fill('input[name=month]', '2026-10');
      await page.fill('input[name=billed]', '15,000.00');
      await page.fill('input[name=collected]', '12,345.67');
      await Promise.all([page.waitForNavigation(), page.click('#fee-form button[type=submit]')]);
      check((await page.textContent('#fee-months')).includes('12,345.67 元'), 'the month entered is not listed');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      check(!wide, 'the fee page is wider than the phone');
      await shot(page, 'fees-entered-390');
      await page.goto(`${base}/compounds/${c.id}/accounts`);
      await page.fill('input[name=period]', '2026-10');
      await page.selectOption('select[name=kind]', 'spending');
      await page.fill('input[name=category]', '保洁');
      await page.fill('input[name=amount]', '2,000');
      await Promise.all([page.waitForNavigation(), page.click('#entry-form button[type=submit]')]);
      check((await page.textContent('#entries')).includes('保洁'), 'the spending line is not listed');
      await context.close();
      // The street takes a hotline complaint for that compound; the company sees it.
      const street = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 } });
      await street.page.goto(`${base}/complaints`);
      await Promise.all([street.page.waitForNavigation(), street.page.click('#new-complaint')]);
      await street.page.selectOption('select[name=compound]', String(c.id));
      await street.page.selectOption('select[name=source]', 'hotline_12345');
      await street.page.fill('input[name=category]', '维修');
      await street.page.fill('textarea[name=text]', '单元门禁损坏，12345转办');
      await Promise.all([street.page.waitForNavigation(), street.page.click('#complaint-form button[type=submit]')]);
      check(/\/complaints\/\d+$/.test(new URL(street.page.url()).pathname), `recording went to ${street.page.url()}`);
      await shot(street.page, 'complaint-recorded-390');
      await street.context.close();
      const company = await login(browser, base, COMPANY_USER);
      await company.page.goto(`${base}/complaints`);
      check((await company.page.textContent('main')).includes('单元门禁损坏'), 'the company does not see the recorded complaint');
      await company.context.close();
    });

    await flow('journey: the signed compound goes on to 在管服务 with evidence; the contract register lists it; the owners\' dismissal survey on a phone', async () => {
      check(signedCompound, 'no compound was signed (the contract journey did not pass)');
      const { page } = officer;
      await page.goto(`${base}/compounds/${signedCompound.id}`);
      const png = path.join(tmp, 'entry.png');
      fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
      const walked = [];
      for (let i = 0; i < 4 && !(await page.textContent('#stage')).includes('在管服务'); i += 1) {
        const form = page.locator('form[action*="/advance"]');
        check(await form.count(), `at ${(await page.textContent('#stage')).trim()} the page offers no next step`);
        const steps = await form.locator('select[name=to] option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
        const to = ['start_service', 'enter', 'start_trial'].find((s) => steps.includes(s));
        check(to, `no step towards 在管服务 is offered (offers ${steps.join(', ')})`);
        await form.locator('select[name=to]').selectOption(to);
        await form.locator('textarea[name=note]').fill(`浏览器测试：${to}`);
        if (to === 'enter') await form.locator('input[type=file][name=evidence]').setInputFiles(png);
        await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').first().click()]);
        const refused = await page.$('#advance-error');
        check(!refused, `the step ${to} was refused: ${refused && (await refused.textContent())}`);
        walked.push(to);
      }
      check((await page.textContent('#stage')).includes('在管服务'), `after ${walked.join(' → ')} the stage is ${(await page.textContent('#stage')).trim()}`);
      await shot(page, 'journey-in-service');
      // The contract register lists it, filed; the overdue list does not.
      await page.goto(`${base}/ledger`);
      await Promise.all([page.waitForNavigation(), page.click('#contracts')]);
      check((await page.textContent('#contracts')).includes(signedCompound.name), 'the register does not list the signed compound');
      await shot(page, 'contract-register');
      // The street records the owners' dismissal survey on a phone: 50 % is not enough.
      const phone = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      try {
        const p = phone.page;
        await p.goto(`${base}/compounds/${signedCompound.id}`);
        const form = p.locator('form[id^="dismissal-form-"]');
        check(await form.count(), 'the compound page offers no dismissal-survey form');
        await p.locator('#contracts details summary').first().click();
        await form.locator('input[name=owners]').fill('200');
        await form.locator('input[name=respondents]').fill('180');
        await form.locator('input[name=dissatisfied]').fill('100');
        await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
        const listed = await p.textContent('ul.dismissals');
        check(listed.includes('不满意 100 户') && listed.includes('未超过50%'), `the survey is not listed as no dismissal: ${listed}`);
        const wide = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        check(!wide, 'the compound page is wider than the phone');
        await shot(p, 'dismissal-survey-390');
      } finally {
        await phone.context.close();
      }
    });

    await flow('journey: the company imports a fee sheet per household; the street reads the households in arrears on a phone', async () => {
      const { context, page } = await login(browser, base, COMPANY_USER, { viewport: { width: 1280, height: 900 } });
      const mine = await compoundsJson(context, base);
      const c = mine.find((x) => x.compound && x.compound.street === STREET) ?? mine[0];
      check(c, 'the company serves no compound');
      await page.goto(`${base}/compounds/${c.id}/fees`);
      await Promise.all([page.waitForNavigation(), page.click('#import-link')]);
      const csv = path.join(tmp, '收缴表.csv');
      const st = c.compound?.street ?? STREET;
      fs.writeFileSync(csv, `小区名称,所属街道,户号,月份,应收,实收\n${c.name},${st},1-1-101,2026-11,100,100\n${c.name},${st},1-1-102,2026-11,100,40\n`);
      await page.locator('#import-form input[type=file]').setInputFiles(csv);
      await Promise.all([page.waitForNavigation(), page.click('#import-form button[type=submit]')]);
      const done = await page.$('#done');
      check(done, `the import was not done: ${(await page.textContent('main')).slice(0, 400)}`);
      check((await done.textContent()).includes('按户明细 2 行'), `the import says ${await done.textContent()}`);
      await shot(page, 'fee-sheet-imported');
      await context.close();
      const street = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      try {
        await street.page.goto(`${base}/compounds/${c.id}`);
        await Promise.all([street.page.waitForNavigation(), street.page.click('#households-link')]);
        check((await street.page.textContent('#household-fees')).includes('1-1-102'), 'the household in arrears is not listed');
        check((await street.page.textContent('#arrears')).includes('60.00 元'), 'the arrears are not 60.00 元');
        const wide = await street.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        check(!wide, 'the households page is wider than the phone');
        await shot(street.page, 'households-in-arrears-390');
      } finally {
        await street.context.close();
      }
    });

    await flow('every page a street officer and a company open fits a phone (390×844): nothing wider than the screen', async () => {
      const people = [STREET_USER, COMPANY_USER];
      const wide = [];
      let seen = 0;
      for (const user of people) {
        const { context, page } = await login(browser, base, user, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
        try {
          const mine = await compoundsJson(context, base);
          const c = mine.find((x) => x.company) ?? mine[0];
          const pages = ['/dashboard', '/ledger', '/map', '/companies', '/complaints', '/surveys', '/selections', '/contracts', '/tasks', '/targets', '/funding', '/reports', '/areas', '/organisation'];
          if (c) pages.push(`/compounds/${c.id}`, `/compounds/${c.id}/households`, `/compounds/${c.id}/fees`, `/compounds/${c.id}/modes`, `/compounds/${c.id}/owners-share`, `/compounds/${c.id}/register`, `/compounds/${c.id}/votes`, `/compounds/${c.id}/fund`);
          // The first record each list links to, opened as a phone would.
          for (const list of ['/complaints', '/surveys', '/companies']) {
            const r = await get(context, `${base}${list}`);
            const m = r.text.match(new RegExp(`href="(${list}/\\d+)"`));
            if (m) pages.push(m[1]);
          }
          for (const p of pages) {
            const r = await page.goto(`${base}${p}`);
            if (r.status() === 403 || r.status() === 404) continue; // not this role's page
            seen += 1;
            const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            if (sw > iw + 1) {
              wide.push(`${user.username} ${p}: ${sw} px`);
              await shot(page, `too-wide-${user.username}-${p.replace(/[^a-z0-9]+/gi, '-')}`);
            }
          }
        } finally {
          await context.close();
        }
      }
      console.log(`      ${seen} pages opened at 390 px`);
      check(wide.length === 0, `wider than a 390 px phone:\n        ${wide.join('\n        ')}`);
    });

    await flow('journey: the street verifies a complaint on a phone (核实有效: only verified complaints count in the credit file)', async () => {
      const { context, page } = await login(browser, base, STREET_USER, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      try {
        const r = await get(context, `${base}/complaints`);
        const m = r.text.match(/href="(\/complaints\/\d+)"/);
        check(m, 'the street has no complaint to open');
        await page.goto(`${base}${m[1]}`);
        check((await page.textContent('main')).includes('未核实'), 'the complaint does not say it is not verified');
        await page.check('input[name="verdict"][value="substantiated"]');
        await page.fill('textarea[name="note"]', '现场查看属实，楼道堆物未清');
        await Promise.all([page.waitForNavigation(), page.click('#verify')]);
        const text = await page.textContent('main');
        check(text.includes('核实有效') && text.includes('楼道堆物未清'), 'the finding is not shown after saving');
        const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        check(sw <= iw + 1, `the complaint page is ${sw} px wide on a 390 px phone`);
        await shot(page, 'complaint-verified-390');
      } finally {
        await context.close();
      }
    });

    await flow('journey: a subsidy line 申报 → 街道审核 → 区级复核 → 批准 → 拨付 on the /funding pages', async () => {
      check(policyAssigned, 'the street has no policy (the policy journey did not pass)');
      const company = await login(browser, base, COMPANY_USER, { viewport: { width: 1280, height: 900 } });
      const people = { company };
      try {
        // The street office starts a run for its street and this year on /funding.
        const { page } = officer;
        await page.goto(`${base}/funding`);
        const runForm = page.locator('#run-form');
        check(await runForm.count(), 'the street officer is offered no 测算 form on /funding');
        const period = String(new Date().getFullYear());
        await runForm.locator('select[name=level]').selectOption({ label: '街道' });
        await runForm.locator('input[name=region]').fill(STREET);
        await runForm.locator('input[name=period]').fill(period);
        await Promise.all([page.waitForNavigation(), runForm.getByRole('button', { name: '测算' }).click()]);
        const runRefused = await page.$('#error');
        check(!runRefused, `the run was refused: ${runRefused && (await runRefused.textContent())}`);
        const run = new URL(page.url()).searchParams.get('run');
        check(run, `after 测算 the browser is at ${page.url()}`);
        await shot(page, 'journey-subsidy-run');
        // The company looks for its line of that run on /funding.
        await company.page.goto(`${base}/funding?run=${run}`);
        const rows = company.page.locator('#lines tbody tr:not(.hot)');
        let lineId = null;
        if (await rows.count()) {
          lineId = (await rows.first().locator('td a').first().textContent()).trim();
          console.log(`      run ${run} (${STREET} ${period}): the company's line ${lineId}`);
        } else {
          // The demo has no contract whose company entered under the policy, so the run pays
          // nothing: the street records an infrastructure grant (also a line on the same path)
          // for a compound of the company, on /funding.
          const totals = (await page.textContent('#totals')).replace(/\s+/g, ' ').trim();
          console.log(`      run ${run} (${STREET} ${period}) has no eligible line of the company (${totals}); the chain runs on an infrastructure grant`);
          const own = await compoundsJson(company.context, base);
          const streetIds = new Set((await compoundsJson(officer.context, base)).map((c) => c.id));
          const target = own.find((c) => streetIds.has(c.id));
          check(target, 'no compound of the company in the officer\'s street');
          await page.goto(`${base}/funding`);
          const infra = page.locator('#infra-form');
          check(await infra.count(), 'the street officer is offered no 基础设施投入资金 form on /funding');
          // The officer chooses the compound by name from the form's list (no number to read
          // off an address).
          const label = `${target.name}（${target.street ?? STREET}）`;
          check(
            await infra.locator(`datalist option[value="${label}"]`).count(),
            `the grant form does not offer ${label}`,
          );
          await infra.getByLabel('小区').fill(label);
          await infra.getByLabel('企业投入（元）').fill('16,000');
          await infra.getByLabel('补助比例（%）').fill('50');
          await infra.getByLabel('日期').fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
          await infra.getByPlaceholder('用途').fill('浏览器测试：安防监控');
          await Promise.all([page.waitForNavigation(), infra.getByRole('button', { name: '登记' }).click()]);
          const refused = await page.$('#error');
          check(!refused, `the infrastructure grant was refused: ${refused && (await refused.textContent())}`);
          lineId = new URL(page.url()).pathname.match(/^\/funding\/lines\/(\d+)$/)?.[1];
          check(lineId, `after 登记 the browser is at ${page.url()}`);
          console.log(`      ${target.name}: infrastructure grant, line ${lineId}, ${(await page.textContent('#amount')).trim()} 元`);
        }
        const chain = [
          ['申报', 'company', COMPANY_USER],
          ['街道审核', 'street', STREET_USER],
          ['区级复核', 'authority', { username: 'zhujian' }],
          ['批准', 'authority', { username: 'zhujian' }],
          ['拨付', 'finance', { username: 'caizheng' }],
        ];
        const done = [];
        for (const [i, [step, who, user]] of chain.entries()) {
          if (!people[who]) people[who] = who === 'street' ? officer : await login(browser, base, user, { viewport: { width: 1280, height: 900 } });
          const p = people[who].page;
          // Each finds the line in the list on /funding and opens it.
          await p.goto(`${base}/funding`);
          const link = p.locator('#lines').getByRole('link', { name: lineId, exact: true });
          check(await link.count(), `${step}: ${user.username} does not see line ${lineId} on /funding (done: ${done.join(' → ') || 'none'})`);
          await Promise.all([p.waitForNavigation(), link.click()]);
          const button = p.locator('#actions').getByRole('button', { name: step, exact: true });
          check(await button.count(), `${step}: the line page offers ${user.username} no ${step} button (status ${(await p.textContent('#status')).trim()}; done: ${done.join(' → ') || 'none'})`);
          await p.locator('#actions textarea[name=comment]').fill(`浏览器测试：${step}`);
          await Promise.all([p.waitForNavigation(), button.click()]);
          const refused = await p.$('#error');
          check(!refused, `${step} by ${user.username} was refused: ${refused && (await refused.textContent())} (done: ${done.join(' → ') || 'none'})`);
          check((await p.textContent('#steps')).includes(`浏览器测试：${step}`), `${step}: the line's steps do not show it`);
          done.push(`${step}（${user.username}）${(await p.textContent('#status')).trim()}`);
          await shot(p, `journey-subsidy-${i + 1}`);
        }
        check(done.at(-1).includes('已拨付'), `after 拨付 the line is ${done.at(-1)}`);
        console.log(`      ${done.join(' → ')}`);
      } finally {
        for (const [who, s] of Object.entries(people)) if (who !== 'street') await s.context.close();
      }
    });

    await flow('journey: 吹哨报到 — a blocked fire lane on a compound without a company, referred to 消防救援, acknowledged and resolved with a photo by the brigade on a phone, confirmed by the street, counted in the brigade\'s figures', async () => {
      // 1. The street officer, on a phone, records the complaint on a compound no company serves.
      const street = await login(browser, base, STREET_USER, PHONE);
      const fire = await login(browser, base, { username: 'xiaofang' }, PHONE);
      try {
        const mine = await compoundsJson(street.context, base);
        const bare = mine.find((c) => !c.company && c.street === STREET);
        check(bare, 'no compound without a company in the street');
        const sp = street.page;
        await sp.goto(`${base}/complaints/new`);
        await sp.selectOption('select[name=compound]', String(bare.id));
        await sp.selectOption('select[name=source]', 'hotline_12345');
        await sp.fill('input[name=category]', '消防通道');
        const text = `消防通道被私家车长期占用 ${Date.now() % 100000}`;
        await sp.fill('textarea[name=text]', text);
        await Promise.all([sp.waitForNavigation(), sp.click('#complaint-form button[type=submit]')]);
        const complaintUrl = sp.url();
        check(/\/complaints\/\d+$/.test(new URL(complaintUrl).pathname), `recording went to ${complaintUrl}`);
        check((await sp.textContent('main')).includes('由街道、社区处理'), 'a complaint without a company does not say who handles it');
        // 2. 吹哨: the category suggests the fire brigade; the officer refers it.
        await Promise.all([sp.waitForNavigation(), sp.click('#refer')]);
        check((await sp.inputValue('textarea[name=text]')).includes('消防通道被私家车'), 'the referral form does not carry the complaint\'s text');
        await sp.selectOption('#category', '消防通道');
        const chosen = await sp.$eval('#department', (s) => s.options[s.selectedIndex].text);
        check(chosen.startsWith('区消防救援大队'), `the suggested department is ${chosen}`);
        check((await sp.textContent('#suggestion')).includes('区公安分局'), 'the police (阻碍消防通道, seed 003 四（十一）) is not also suggested');
        const formWidth = await sp.evaluate(() => document.documentElement.scrollWidth);
        check(formWidth <= 390, `the referral form is ${formWidth}px wide on a 390px phone`);
        await shot(sp, 'referral-new-phone');
        await Promise.all([sp.waitForNavigation(), sp.click('#refer')]);
        const referralUrl = sp.url();
        check(/\/referrals\/\d+$/.test(new URL(referralUrl).pathname), `referring went to ${referralUrl}`);
        check((await sp.textContent('#facts')).includes('待报到'), 'the new referral is not 待报到');
        // 3. The brigade's officer: the 工作台 lists it; on a phone, 报到, then 办结 with a photo.
        const fp = fire.page;
        await fp.goto(`${base}/dashboard`);
        check((await fp.textContent('#referral-panel')).includes(bare.name), 'the brigade\'s 工作台 does not list the referral');
        await fp.goto(`${base}/referrals`);
        check((await fp.textContent('main')).includes(bare.name), 'the brigade\'s list does not show the referral');
        await fp.goto(referralUrl);
        await Promise.all([fp.waitForNavigation(), fp.click('#step-acknowledge')]);
        check((await fp.textContent('#facts')).includes('已报到办理中'), 'after 报到 the referral is not 已报到办理中');
        // An empty result is refused naming the field; then the result with a photo.
        await fp.$eval('form:has(#step-resolve) textarea[name=note]', (t) => t.removeAttribute('required'));
        await Promise.all([fp.waitForNavigation(), fp.click('#step-resolve')]);
        check((await fp.textContent('#error')).includes('办理结果'), 'an empty result was not refused naming 办理结果');
        const png = path.join(tmp, 'fire-lane.png');
        fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
        await fp.fill('form:has(#step-resolve) textarea[name=note]', '已约谈车主并拖移车辆，设置禁停标识');
        await fp.setInputFiles('form:has(#step-resolve) input[type=file]', png);
        await shot(fp, 'referral-resolve-phone');
        await Promise.all([fp.waitForNavigation(), fp.click('#step-resolve')]);
        check((await fp.textContent('#facts')).includes('已办结待确认'), 'after 办结 the referral is not 已办结待确认');
        check((await fp.textContent('#result')).includes('拖移车辆'), 'the result is not shown');
        check((await fp.$$('#files li')).length === 1, 'the photo is not listed under the result');
        const width = await fp.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the referral page is ${width}px wide on a 390px phone`);
        // 4. The street confirms it.
        await sp.goto(referralUrl);
        await Promise.all([sp.waitForNavigation(), sp.click('#step-confirm')]);
        check((await sp.textContent('#facts')).includes('已确认办结'), 'the referral was not confirmed');
        check((await sp.textContent('#steps')).includes('报到'), 'the steps are not listed');
        await shot(sp, 'referral-confirmed-phone');
        // 5. The brigade's figures count it: one referral, resolved on time.
        await fp.goto(`${base}/departments`);
        const card = fp.locator('#departments li', { hasText: '区消防救援大队' }).first();
        const figures = await card.textContent();
        check(/吹哨事项\s*1/.test(figures.replace(/\s+/g, ' ')) || figures.includes('吹哨事项1'), `the brigade's figures do not count the referral: ${figures}`);
        check(figures.includes('100.00 %'), `the brigade's on-time rate is not 100.00 %: ${figures}`);
        await shot(fp, 'departments-figures-phone');
        // The complaint lists the referral.
        await sp.goto(complaintUrl);
        check((await sp.textContent('#referrals')).includes('区消防救援大队'), 'the complaint does not list its referral');
      } finally {
        await street.context.close();
        await fire.context.close();
      }
    });

    await flow('journey: 调度表报送 — the district sets the schedule, the street files late on a phone, the district sees 逾期报送 and 逾期未报 and reads the sheet as filed', async () => {
      // Filing days (the 1st and the 15th) up to today; the schedule starts three of them back.
      const iso = (d) => d.toISOString().slice(0, 10);
      const now = new Date();
      const today = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
      const days = [];
      for (let m = -3; m <= 0; m += 1) {
        for (const day of [1, 15]) {
          const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + m, day));
          if (d <= today) days.push(d);
        }
      }
      const [start, late] = [days[days.length - 3], days[days.length - 2]];
      const zj = await login(browser, base, { username: 'zhujian' });
      const street = await login(browser, base, STREET_USER, PHONE);
      try {
        const zp = zj.page;
        await zp.goto(`${base}/dispatch`);
        const district = await zp.$eval('#schedule-box select[name=district]', (s) => [...s.options].find((o) => o.text === '奈曼旗')?.value);
        check(district, 'the district above the street is not offered for the schedule');
        await zp.selectOption('#schedule-box select[name=district]', district);
        await zp.fill('#schedule-box input[name=starts_on]', iso(start));
        await Promise.all([zp.waitForNavigation(), zp.click('#set-schedule')]);
        check((await zp.textContent('#schedules')).includes(iso(start)), 'the schedule is not shown');
        check((await zp.textContent('#streets')).includes(`${STREET}`), 'the street is not listed');
        check((await zp.textContent('#streets')).includes('逾期未报'), 'the district does not see 逾期未报');
        // The street files for the later of the two passed days, late, on a phone.
        const sp = street.page;
        await sp.goto(`${base}/dashboard`);
        check((await sp.textContent('#filing-panel')).includes('逾期未报'), 'the street\'s 工作台 does not show the overdue sheet');
        await sp.goto(`${base}/dispatch`);
        await sp.selectOption('#file-form select[name=due_on]', iso(late));
        await sp.fill('#file-form textarea[name=note]', '补报');
        await shot(sp, 'dispatch-file-phone');
        await Promise.all([sp.waitForNavigation(), sp.click('#file')]);
        const width = await sp.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the dispatch page is ${width}px wide on a 390px phone`);
        // The district: 逾期报送 for that day (it was filed after it), still 逾期未报 for the first.
        await zp.goto(`${base}/dispatch`);
        const card = zp.locator('#streets li.card', { hasText: STREET }).first();
        const text = await card.textContent();
        check(text.includes('逾期报送'), `the late filing is not shown as late: ${text}`);
        check(text.includes('逾期未报'), `the unfiled day is not shown: ${text}`);
        await shot(zp, 'dispatch-district');
        const [r] = await Promise.all([zp.waitForNavigation(), card.locator('a', { hasText: '逾期报送' }).first().click()]);
        check(r.status() === 200, `the filing answered ${r.status()}`);
        check((await zp.textContent('#filing-facts')).includes('逾期报送'), 'the filing is not marked late');
        check((await zp.$$('#sheet tbody tr')).length > 0, 'the filed sheet has no rows');
      } finally {
        await zj.context.close();
        await street.context.close();
      }
    });

    await flow('journey: a company on the bad-conduct list is refused at a selection\'s registration with the reason; the list is public', async () => {
      const zj = await login(browser, base, { username: 'zhujian' });
      const street = await login(browser, base, STREET_USER);
      try {
        const graded = JSON.parse((await get(zj.context, `${base}/api/v1/companies`)).text);
        check(graded.length >= 2, 'fewer than two companies');
        const [bad, good] = [graded[0].company, graded[1].company];
        // 住建 records the bad conduct on the company's page.
        const zp = zj.page;
        await zp.goto(`${base}/companies/${bad.id}`);
        await zp.selectOption('#record-form select[name=kind]', 'bad_conduct');
        await zp.fill('#record-form textarea[name=note]', '擅自提高收费标准');
        await Promise.all([zp.waitForNavigation(), zp.click('#record-form button[type=submit]')]);
        check((await zp.textContent('#records')).includes('擅自提高收费标准'), 'the record is not in the file');
        // Anyone can read the public list.
        const anon = await browser.newContext({ locale: 'zh-CN', ...PHONE });
        const ap = await anon.newPage();
        await ap.goto(`${base}/credit/bad-conduct`);
        check((await ap.textContent('main')).includes(bad.name), 'the public list does not show the company');
        await shot(ap, 'bad-conduct-public-phone');
        await anon.close();
        // The street opens a selection and tries to register both companies.
        const sp = street.page;
        await sp.goto(`${base}/selections`);
        await sp.selectOption('select[name=street]', STREET);
        await sp.fill('input[name=title]', '浏览器测试遴选');
        const deadline = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
        await sp.fill('input[name=deadline]', deadline);
        await Promise.all([sp.waitForNavigation(), sp.click('form.act button[type=submit]')]);
        check(/\/selections\/\d+/.test(new URL(sp.url()).pathname), `announcing went to ${sp.url()}`);
        const selection = sp.url();
        await sp.selectOption('form[action*="/register"] select[name=company]', String(bad.id));
        await Promise.all([sp.waitForNavigation(), sp.click('form[action*="/register"] button[type=submit]')]);
        const refused = await sp.textContent('#form-error');
        check(refused.includes(bad.name) && refused.includes('不良行为记录公示名单'), `the refusal does not give the reason: ${refused}`);
        await shot(sp, 'selection-refused-bad-conduct');
        await sp.goto(selection);
        await sp.selectOption('form[action*="/register"] select[name=company]', String(good.id));
        await Promise.all([sp.waitForNavigation(), sp.click('form[action*="/register"] button[type=submit]')]);
        check((await sp.textContent('main')).includes(good.name), 'the clean company was not registered');
      } finally {
        await zj.context.close();
        await street.context.close();
      }
    });

    await flow('journey: 会议与督办 — the district sets up its 专班 from a pasted roster; the street records a 调度会 on a phone with a decision for a community; the community reports it done on a phone; the street sends it back once, then closes it', async () => {
      const zj = await login(browser, base, { username: 'zhujian' });
      const street = await login(browser, base, STREET_USER, PHONE);
      const community = await login(browser, base, { username: 'shequ' }, PHONE);
      const iso = (d) => d.toISOString().slice(0, 10);
      const now = new Date();
      const inAWeek = iso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() + 7)));
      try {
        // 1. 住建 pastes seed 003 附件2's list as printed; roles, names, posts and the office are read.
        const zp = zj.page;
        await zp.goto(`${base}/organisation/groups/new`);
        const district = await zp.$eval('select[name=region]', (s) => [...s.options].find((o) => o.text === '奈曼旗')?.value);
        check(district, 'the district is not offered');
        await zp.selectOption('select[name=region]', district);
        await zp.selectOption('select[name=kind]', 'task_force');
        await zp.fill('#name', '住宅小区物业管理全覆盖工作专班');
        await zp.fill('#roster', '组  长：李明智  区政府副区长\n副组长：项琳琳  区委组织部副部长、“两新”组织工委书记、\n区人才服务中心主任\n成  员：孙祥军  区财政局党组成员\n潘  伟  区住房保障服务中心主任\n专班办公室设在区住建局，潘伟同志兼任办公室主任，刘广海、孙景超同志任办公室副主任。');
        await Promise.all([zp.waitForNavigation(), zp.click('#save-group')]);
        check(/\/organisation\/groups\/\d+$/.test(new URL(zp.url()).pathname), `setting up went to ${zp.url()}`);
        const roster = await zp.textContent('#members');
        for (const want of ['组长', '李明智', '区委组织部副部长、“两新”组织工委书记、区人才服务中心主任', '办公室副主任', '孙景超']) {
          check(roster.includes(want), `the roster lacks ${want}: ${roster}`);
        }
        check((await zp.textContent('#facts')).includes('区住建局'), 'the office is not read from the roster');
        await shot(zp, 'org-group');
        // 2. The street officer records a 调度会 on a phone; the first decision goes to the community.
        const sp = street.page;
        await sp.goto(`${base}/organisation/meetings/new`);
        await sp.fill('#title', '物业全覆盖调度会（浏览器测试）');
        await sp.fill('#attendees', '街道主任、各社区书记');
        await sp.fill('#minutes', '通报摸底进度；部署业主意见征求。');
        const text = `完成社区无物业小区业主意见征求 ${Date.now() % 100000}`;
        await sp.fill('#decision-1', text);
        const unit = await sp.$eval('#unit-1', (s) => [...s.options].filter((o) => o.value.startsWith('region:'))[1]?.value);
        check(unit, 'no community is offered as a unit');
        await sp.selectOption('#unit-1', unit);
        await sp.fill('#deadline-1', inAWeek);
        const formWidth = await sp.evaluate(() => document.documentElement.scrollWidth);
        check(formWidth <= 390, `the meeting form is ${formWidth}px wide on a 390px phone`);
        await shot(sp, 'org-meeting-new-phone');
        await Promise.all([sp.waitForNavigation(), sp.click('#save-meeting')]);
        check(/\/organisation\/meetings\/\d+$/.test(new URL(sp.url()).pathname), `saving went to ${sp.url()}`);
        check((await sp.textContent('#decisions')).includes(text), 'the decision is not listed under the meeting');
        // 3. The community: its 工作台 and its list show the decision; it reports it done.
        const cp = community.page;
        await cp.goto(`${base}/dashboard`);
        check((await cp.textContent('#assignment-panel')).includes(text.slice(0, 20)), 'the community\'s 工作台 does not list the decision');
        await cp.goto(`${base}/organisation`);
        await Promise.all([cp.waitForNavigation(), cp.locator('#mine a', { hasText: text.slice(0, 20) }).first().click()]);
        const assignmentUrl = cp.url();
        await cp.fill('form:has(#step-report) textarea[name=note]', '已完成 8 个小区的意见征求，同意率均超过三分之二');
        await Promise.all([cp.waitForNavigation(), cp.click('#step-report')]);
        check((await cp.textContent('#facts')).includes('已报结待销号'), 'after 报结 the assignment is not awaiting 销号');
        const width = await cp.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the assignment page is ${width}px wide on a 390px phone`);
        await shot(cp, 'org-assignment-reported-phone');
        // 4. The street sends it back once, the community reports again, the street closes it.
        await sp.goto(assignmentUrl);
        await sp.fill('form:has(#step-return) textarea[name=note]', '请附上各小区的同意率明细');
        await Promise.all([sp.waitForNavigation(), sp.click('#step-return')]);
        check((await sp.textContent('#facts')).includes('退回重办'), 'the assignment was not sent back');
        await cp.goto(assignmentUrl);
        await cp.fill('form:has(#step-report) textarea[name=note]', '已补充同意率明细');
        await Promise.all([cp.waitForNavigation(), cp.click('#step-report')]);
        await sp.goto(assignmentUrl);
        await Promise.all([sp.waitForNavigation(), sp.click('#step-close')]);
        check((await sp.textContent('#facts')).includes('已销号'), 'the assignment was not closed');
        check((await sp.$$('#step-report, #step-close, #step-return')).length === 0, 'a closed assignment still offers a step');
        check((await sp.textContent('#steps')).includes('请附上各小区的同意率明细'), 'the return is not in the steps');
        await shot(sp, 'org-assignment-closed-phone');
      } finally {
        await zj.context.close();
        await street.context.close();
        await community.context.close();
      }
    });

    await flow('journey: 业主表决 — the street imports the owners\' register on a phone; an election vote short of 2/3 is refused as a decision; a second one reaches both 2/3 thresholds (residents vote by link on phones, one paper ballot with its scan), the committee is elected citing it, filed, and signs the contract; a fund use carried by more than half is approved and paid by 住建; raising the fund at 2/3 (under 3/4) does not carry', async () => {
      const street = await login(browser, base, STREET_USER, PHONE);
      const zj = await login(browser, base, { username: 'zhujian' }, { viewport: { width: 1280, height: 900 } });
      const sp = street.page;
      const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
      try {
        // An unmanaged compound no other flow used, without a register yet.
        const list = await compoundsJson(street.context, base);
        let target = null;
        for (const c of list.filter((c) => !c.company && c.id !== advanced?.id && c.id !== signedCompound?.id)) {
          const reg = await get(street.context, `${base}/compounds/${c.id}/register`);
          if (reg.status === 200 && reg.text.includes('尚无住户')) { target = c; break; }
        }
        check(target, 'no unmanaged compound without a register');
        const register = path.join(tmp, '业主名册.csv');
        fs.writeFileSync(register, '房号,业主姓名,专有部分面积（㎡）\n1-1-101,王一,100\n1-1-102,王二,100\n1-1-201,王三,100\n1-1-202,王四,100\n1-1-301,王五,100\n1-1-302,王六,50\n');
        const scan = path.join(tmp, '选票.png');
        fs.writeFileSync(scan, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex'));
        // 1. The register, imported on the phone.
        await sp.goto(`${base}/compounds/${target.id}`);
        await Promise.all([sp.waitForNavigation(), sp.click('#votes-link')]);
        await Promise.all([sp.waitForNavigation(), sp.click('#register-link')]);
        await sp.setInputFiles('input[name=file]', register);
        await Promise.all([sp.waitForNavigation(), sp.click('#import-register')]);
        check((await sp.textContent('#message')).includes('新增 6 户'), `the import said ${await sp.textContent('main')}`);
        check((await sp.textContent('main')).includes('550.00 ㎡'), 'the register\'s area is not shown');
        await shot(sp, 'votes-register');
        // 2. The owners' body being prepared.
        await sp.goto(`${base}/compounds/${target.id}/owners-bodies`);
        await Promise.all([sp.waitForNavigation(), sp.click('#start-body')]);
        const bodyUrl = sp.url();
        check(/\/owners-bodies\/\d+$/.test(new URL(bodyUrl).pathname), `starting the body went to ${bodyUrl}`);
        // Opens an election vote from the body's page and returns the households' links.
        const electionVote = async (question) => {
          await sp.goto(bodyUrl);
          await Promise.all([sp.waitForNavigation(), sp.click('#elect-vote-link')]);
          check((await sp.inputValue('#matter')) === 'elect_committee', 'the vote form does not start as an election');
          await sp.fill('textarea[name=question]', question);
          await sp.fill('input[name=closes_on]', today);
          await Promise.all([sp.waitForNavigation(), sp.click('#open-vote')]);
          const voteUrl = sp.url();
          check(/\/votes\/\d+$/.test(new URL(voteUrl).pathname), `opening the vote went to ${voteUrl}: ${await sp.textContent('main')}`);
          await Promise.all([sp.waitForNavigation(), sp.click('#qr-sheet')]);
          const links = await sp.$$eval('.card .link', (ls) => ls.map((l) => l.textContent.trim()));
          check(links.length === 6, `the QR sheet has ${links.length} links`);
          await shot(sp, 'votes-qr-sheet');
          return { voteUrl, links };
        };
        // A resident votes on a phone, without an account.
        const resident = await browser.newContext({ locale: 'zh-CN', ...PHONE });
        const rp = await resident.newPage();
        const vote = async (link, choice) => {
          await rp.goto(link);
          await rp.check(`input[name=choice][value=${choice}]`);
          await Promise.all([rp.waitForNavigation(), rp.click('#cast')]);
          return rp.textContent('#message');
        };
        const count = async (voteUrl) => {
          await sp.goto(voteUrl);
          await Promise.all([sp.waitForNavigation(), sp.click('#close-vote')]);
          return sp.textContent('#outcome');
        };
        const elect = async () => {
          await sp.goto(bodyUrl);
          const form = sp.locator('form').filter({ has: sp.locator('#step-elect') });
          await form.locator('input[name=m_name]').first().fill('王五');
          await Promise.all([sp.waitForNavigation(), sp.click('#step-elect')]);
          return sp.$('#error');
        };
        try {
          // 3. A first election vote: three of six households (300 of 550 ㎡) — short of 2/3.
          const first = await electionVote('选举王五等组成第一届业主委员会（第一次表决）');
          for (const link of first.links.slice(0, 3)) check((await vote(link, 'o1')).includes('投票成功'), 'a resident\'s ballot was not taken');
          // Once only: the link of a household that voted offers no second ballot.
          await rp.goto(first.links[0]);
          check((await rp.textContent('#message')).includes('已经投过票'), 'a household\'s link does not say it voted');
          check(!(await rp.$('#cast')), 'a household that voted is offered the ballot again');
          await shot(rp, 'votes-resident-once');
          const short = await count(first.voteUrl);
          check(short.includes('表决未通过') && short.includes('不足三分之二'), `the short vote reads ${short}`);
          const refused = await elect();
          check(refused && (await refused.textContent()).includes('表决未通过'), 'an election resting on the short vote was not refused');
          await shot(sp, 'votes-election-refused');
          // 4. A second election vote: three online, one on paper with its scan — four of six (2/3)
          // and 400 of 550 ㎡.
          const second = await electionVote('选举王五等组成第一届业主委员会（第二次表决）');
          for (const link of second.links.slice(0, 3)) check((await vote(link, 'o1')).includes('投票成功'), 'a resident\'s ballot was not taken');
          await sp.goto(second.voteUrl);
          const paper = sp.locator('form').filter({ has: sp.locator('#enter-paper') });
          await paper.locator('select[name=household_id]').selectOption({ index: 1 });
          await paper.locator('input[name=choice][value=o1]').check();
          await paper.locator('input[name=scan]').setInputFiles(scan);
          await Promise.all([sp.waitForNavigation(), sp.click('#enter-paper')]);
          check(!(await sp.$('#error')), `the paper ballot was refused: ${await sp.textContent('main')}`);
          check((await sp.textContent('#participation')).includes('4 / 6 户（66.67 %）'), `participation reads ${await sp.textContent('#participation')}`);
          const carried = await count(second.voteUrl);
          check(carried.includes('表决通过'), `the second vote reads ${carried}`);
          await shot(sp, 'votes-carried');
          await sp.goto(`${second.voteUrl}/result`);
          const sheet = await sp.textContent('body');
          check(sheet.includes('表决通过') && !sheet.includes('1-1-101') && !sheet.includes('王一'), 'the public sheet shows who voted');
          // 5. Elected citing the vote, filed.
          check(!(await elect()), `the election was refused: ${await sp.textContent('main')}`);
          await Promise.all([sp.waitForNavigation(), sp.click('#step-file')]);
          check((await sp.textContent('#facts')).includes('在任'), `after filing the body reads ${await sp.textContent('#facts')}`);
          await shot(sp, 'votes-body-filed');
          // 6. The committee signs the contract: the path walked to 已选定物业企业 on the compound page.
          await sp.goto(`${base}/compounds/${target.id}`);
          for (let i = 0; i < 6 && !(await sp.$('#sign-form')); i += 1) {
            const form = sp.locator('form[action*="/advance"]');
            const steps = await form.locator('select[name=to] option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
            const to = ['select_company', 'settle_owners', 'decide_mode', 'consult'].find((s) => steps.includes(s));
            check(to, `the compound page offers no step towards 已选定物业企业 (offers ${steps.join(', ')})`);
            await form.getByLabel('下一步骤').selectOption(to);
            if (to === 'decide_mode') await form.locator('select[name=mode]').selectOption({ label: '专业化物业' });
            if (to === 'settle_owners') await form.locator('select[name=body]').selectOption({ label: '业主委员会' });
            if (to === 'select_company') await form.locator('select[name=company]').selectOption({ index: 1 });
            await Promise.all([sp.waitForNavigation(), form.getByRole('button', { name: '记录此步骤' }).click()]);
            check(!(await sp.$('#advance-error')), `the step ${to} was refused`);
          }
          const sign = sp.locator('#sign-form');
          await sign.getByLabel('签约方').selectOption({ label: '业主组织' });
          await sign.getByLabel('签约人姓名').fill('业委会主任 王五');
          await sign.getByLabel('多层物业费').fill('0.90');
          await Promise.all([sp.waitForNavigation(), sign.getByRole('button', { name: '签订合同' }).click()]);
          check(!(await sp.$('#contract-error')), 'signing was refused');
          check((await sp.textContent('#contracts')).includes('王五'), 'the contract is not listed with its signer');
          await shot(sp, 'votes-contract-signed');
          // 7. The fund: 住建 deposits; the street applies; the owners carry the use (four of six
          // for, one against); 住建 approves and pays.
          const zp = zj.page;
          await zp.goto(`${base}/compounds/${target.id}/fund`);
          await zp.fill('form[action*="/fund/deposit"] input[name=amount]', '100,000.00');
          await zp.fill('form[action*="/fund/deposit"] input[name=note]', '首期归集');
          await Promise.all([zp.waitForNavigation(), zp.click('#deposit')]);
          check((await zp.textContent('#balance')).includes('100,000.00 元'), 'the deposit is not in the balance');
          await sp.goto(`${base}/compounds/${target.id}/fund`);
          await sp.fill('input[name=title]', '更换单元门禁');
          await sp.fill('input[name=cost]', '36,800.00');
          await sp.fill('textarea[name=quotes]', '安达智能 36,800.00 元；恒通门业 39,200.00 元');
          await Promise.all([sp.waitForNavigation(), sp.click('#apply-use')]);
          await sp.goto(`${base}/compounds/${target.id}/votes`);
          await sp.selectOption('#matter', 'use_fund');
          await sp.fill('textarea[name=question]', '使用专项维修资金 36,800.00 元更换单元门禁');
          await sp.fill('input[name=closes_on]', today);
          await Promise.all([sp.waitForNavigation(), sp.click('#open-vote')]);
          const useVote = sp.url();
          await Promise.all([sp.waitForNavigation(), sp.click('#qr-sheet')]);
          const useLinks = await sp.$$eval('.card .link', (ls) => ls.map((l) => l.textContent.trim()));
          for (const [i, link] of useLinks.entries()) {
            if (i < 4) await vote(link, 'o1');
            else if (i === 4) await vote(link, 'against');
          }
          check((await count(useVote)).includes('表决通过'), 'the fund use vote did not carry');
          await sp.goto(`${base}/compounds/${target.id}/fund`);
          await Promise.all([sp.waitForNavigation(), sp.click('.use-vote')]);
          check(!(await sp.$('#error')), `recording the vote was refused: ${await sp.textContent('main')}`);
          await zp.goto(`${base}/compounds/${target.id}/fund`);
          await Promise.all([zp.waitForNavigation(), zp.click('.use-approve')]);
          await Promise.all([zp.waitForNavigation(), zp.click('.use-pay')]);
          check(!(await zp.$('#error')), `paying was refused: ${await zp.textContent('main')}`);
          check((await zp.textContent('#balance')).includes('63,200.00 元'), `the balance reads ${await zp.textContent('#balance')}`);
          check((await zp.textContent('#uses')).includes('已拨付'), 'the use is not paid');
          await shot(zp, 'fund-paid');
          // 8. Raising the fund: all six vote, four for (2/3 of the owners, 72.73 % of the area).
          await sp.goto(`${base}/compounds/${target.id}/votes`);
          await sp.selectOption('#matter', 'raise_fund');
          await sp.fill('textarea[name=question]', '按每平方米 30 元续筹专项维修资金');
          await sp.fill('input[name=closes_on]', today);
          await Promise.all([sp.waitForNavigation(), sp.click('#open-vote')]);
          const raiseVote = sp.url();
          await Promise.all([sp.waitForNavigation(), sp.click('#qr-sheet')]);
          const raiseLinks = await sp.$$eval('.card .link', (ls) => ls.map((l) => l.textContent.trim()));
          for (const [i, link] of raiseLinks.entries()) await vote(link, i < 4 ? 'o1' : 'against');
          const raise = await count(raiseVote);
          check(raise.includes('表决未通过') && raise.includes('四分之三'), `raising the fund reads ${raise}`);
          await zp.goto(`${base}/compounds/${target.id}/fund`);
          const offered = await zp.$$eval('form[action*="/fund/deposit"] select[name=vote_id] option', (os) => os.map((o) => o.value).filter((v) => v));
          check(offered.length === 0, 'a vote that did not carry is offered as the basis of 续筹');
          await shot(sp, 'fund-raise-refused');
          console.log(`      ${target.name}: 名册 6 户 → 选举表决 3/6 未通过 → 4/6 通过 → 选举、备案 → 签约 → 维修资金 使用通过并拨付，续筹 4/6 未达四分之三`);
        } finally {
          await resident.close();
        }
      } finally {
        await street.context.close();
        await zj.context.close();
      }
    });

    await flow('journey: 老旧小区改造 — the street officer on a phone (390×844) records a renovation whose construction started before a company was chosen, sees seed 002 六（一）\'s alert, and enters a household\'s 三承诺', async () => {
      const street = await login(browser, base, STREET_USER, PHONE);
      const iso = (d) => d.toISOString().slice(0, 10);
      const now = new Date();
      const daysAgo = (n) => iso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() - n)));
      try {
        const { page, context } = street;
        // A compound of the street without a company (the last one, to leave the others' flows theirs).
        const list = await compoundsJson(context, base);
        const target = list.filter((c) => !c.company && (c.street ?? STREET) === STREET).at(-1);
        check(target, 'no compound of the street is without a company');
        await openFromLedger(page, base, target.name);
        await Promise.all([page.waitForNavigation(), page.click('#renovation-link')]);
        check(new URL(page.url()).pathname.endsWith('/renovation'), `the renovation link went to ${page.url()}`);
        // 1. The project: procedures begun three weeks ago, the works started three days ago.
        const name = `二七区式改造（浏览器测试 ${Date.now() % 100000}）`;
        await page.fill('input[name=name]', name);
        await page.fill('input[name=procedures_on]', daysAgo(21));
        await page.fill('input[name=construction_on]', daysAgo(3));
        const formWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        check(formWidth <= 390, `the renovation form is ${formWidth}px wide on a 390px phone`);
        await Promise.all([page.waitForNavigation(), page.click('#start-renovation')]);
        check(/\/renovations\/\d+$/.test(new URL(page.url()).pathname), `recording went to ${page.url()}`);
        const projectUrl = page.url();
        // 2. The alert, naming the seed's clause.
        const gaps = await page.textContent('#gaps');
        check(gaps.includes('施工进场前未选定物业企业'), `no alert for the works started before a company was chosen: ${gaps}`);
        check(gaps.includes('务必于施工进场前选定物业服务企业'), `the alert does not name seed 002 六（一）: ${gaps}`);
        await shot(page, 'renovation-alert-phone');
        // 3. One household's 三承诺 on the phone form.
        await page.fill('input[name=house]', '3-2-501');
        await page.fill('input[name=owner]', '王秀英');
        await page.check('input[name=demolish]');
        await page.check('input[name=maintenance_fund]');
        await page.check('input[name=repair_fees]');
        await Promise.all([page.waitForNavigation(), page.click('#record-household')]);
        check(page.url().startsWith(projectUrl), `saving the household went to ${page.url()}`);
        check((await page.textContent('#household-list')).includes('3-2-501'), 'the household is not listed');
        const share = await page.textContent('#share');
        check(share.includes('三项全部承诺 1 户') && share.includes('已登记 1 户'), `the share does not count the household: ${share}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        check(width <= 390, `the project page is ${width}px wide on a 390px phone`);
        await shot(page, 'renovation-commitments-phone');
        // 4. The 工作台 lists the alert.
        await page.goto(`${base}/`);
        check((await page.textContent('body')).includes('老旧小区改造与物业进驻脱节'), 'the 工作台 does not list the renovation alert');
      } finally {
        await street.context.close();
      }
    });

    await flow('journey: the administrator ranks streets by a weighted score on the ranking report (排名规则 chosen on the page)', async () => {
      const { context, page } = await login(browser, base, { username: 'admin' }, { viewport: { width: 1280, height: 900 } });
      try {
        await page.goto(`${base}/reports/ranking`);
        check((await page.textContent('main')).includes('先按全覆盖进度、再按业主组织组建率'), 'the default rule is not stated under the table');
        await page.selectOption('#rank_by', 'weighted');
        await page.fill('input[name="weight"]', '七十');
        await Promise.all([page.waitForNavigation(), page.locator('#params').getByRole('button', { name: '生成' }).click()]);
        check((await page.textContent('#error')).includes('全覆盖进度权重'), 'a weight that is not a number is not refused by name');
        check((await page.inputValue('input[name="weight"]')) === '七十', 'the rejected weight was not kept in the form');
        await page.fill('input[name="weight"]', '70');
        await Promise.all([page.waitForNavigation(), page.locator('#params').getByRole('button', { name: '生成' }).click()]);
        const text = await page.textContent('main');
        check(text.includes('综合得分') && text.includes('全覆盖进度 × 70% + 业主组织组建率 × 30%'), 'the weighted score and its rule are not shown');
        check(text.includes('安居自定'), 'the rule is not stated as Anju\'s own');
        check((await page.getAttribute('#download', 'href')).includes('rank_by=weighted'), 'the download does not carry the chosen rule');
        await shot(page, 'ranking-weighted');
      } finally {
        await context.close();
      }
    });
  } finally {
    await browser?.close();
    server.child.kill('SIGINT');
  }
  console.log('\nbrowser tests:');
  for (const r of results) console.log(`  ${r.status.toUpperCase().padEnd(4)}  ${r.name}${r.status === 'skip' ? ` — ${r.note}` : ''}`);
  console.log(`screenshots: ${SHOTS}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  if (failed) {
    console.log(`${failed} failed`);
    process.exitCode = 1;
  } else {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

// Open a report file from disk in headless Debian chromium, as a person's browser would (playwright-core from
// tools/node_modules; no --allow-file-access-from-files or any other flag that loosens file:// access), read what
// a reader sees and print it as JSON; keep a screenshot of the first screen (and of an opened requirement).
//   node harness/reporting/browser.mjs REPORT.html FIRST_SCREEN.png [REQUIREMENT_ID [REQUIREMENT.png]]
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = process.env.SANDBOX_TOOLS || path.join(here, '..', '..', 'tools');
const { chromium } = createRequire(path.join(tools, 'package.json'))('playwright-core');
const [report, firstScreen, wanted = '', wantedShot = ''] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const errors = [];
try {
  const version = await browser.newPage();
  await version.goto('chrome://version');
  const commandLine = (await version.locator('#command_line').innerText().catch(() => '')).trim();
  await version.close();

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(pathToFileURL(path.resolve(report)).href);
  await page.waitForSelector('.widget', { timeout: 30000 }).catch(() => {});
  const header = (await page.locator('#sandbox-verdict').innerText().catch(() => '')).trim();
  const overview = (await page.locator('#content').innerText().catch(() => '')).trim();
  await page.screenshot({ path: firstScreen });

  await page.goto(pathToFileURL(path.resolve(report)).href + '#behaviors');
  await page.waitForSelector('.tree__content .node', { timeout: 30000 });
  for (let round = 0; round < 6; round++) {  // epic → feature → requirement
    const closed = page.locator('.node[data-node-kind="group"]:not(:has(> .node__children)) > .node__title');
    const count = await closed.count();
    if (count === 0) break;
    for (let i = count - 1; i >= 0; i--) await closed.nth(i).click({ timeout: 5000 });
  }
  const groups = await page.locator('.node[data-node-kind="group"] > .node__title .node__name').allInnerTexts();
  const leaves = await page.locator('.node__leaf').evaluateAll(els => els.map(e => ({
    name: (e.querySelector('.node__name') || e).innerText.trim(),
    status: (e.querySelector('[class*="status"]') || e).getAttribute('class') || '' })));
  let opened = null;
  if (wanted) {
    await page.locator('.node__leaf', { hasText: wanted }).first().click();
    await page.waitForSelector('.test-result__name', { timeout: 15000 });
    const pane = page.locator('.side-by-side__right').first();
    for (let round = 0; round < 4; round++) {  // open every step, then every attachment
      const closed = pane.locator('.step:not(.step_expanded) > .step__title');
      const count = await closed.count();
      if (count === 0) break;
      for (let i = 0; i < count; i++) await closed.nth(i).click({ timeout: 2000 }).catch(() => {});
    }
    if (wantedShot) await page.screenshot({ path: wantedShot });
    const rows = pane.locator('.attachment-row');
    for (let i = 0; i < await rows.count(); i++) await rows.nth(i).click({ timeout: 2000 }).catch(() => {});
    await page.waitForTimeout(300);
    opened = {
      title: (await page.locator('.test-result__name').first().innerText()).trim(),
      steps: (await pane.locator('.step__name').allInnerTexts()).map(t => t.trim()),
      attachments: (await pane.locator('.attachment-row__name').allInnerTexts()).map(t => t.trim()),
      links: await pane.locator('a[href]').evaluateAll(els => els.map(a => a.getAttribute('href'))),
      text: (await pane.innerText()).slice(0, 40000),
    };
  }
  console.log(JSON.stringify({ commandLine, header, overview, groups, leaves, opened, errors }));
} finally {
  await browser.close();
}

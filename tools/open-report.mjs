// Open an Allure HTML report in headless Debian chromium (playwright-core), expand the Behaviors tree,
// open one test, and print what a reader sees as JSON; save a screenshot.
//   node tools/open-report.mjs REPORT_DIR/index.html SCREENSHOT.png [TEST_NAME_PREFIX]
import { chromium } from 'playwright-core';

const [report, screenshot, wanted = ''] = process.argv.slice(2);
const flags = ['--headless', '--allow-file-access-from-files', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: flags });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`file://${report}#behaviors`);
  await page.waitForSelector('.tree__content .node', { timeout: 30000 });
  for (let round = 0; round < 6; round++) {  // epic → feature → story → test
    const closed = page.locator('.node[data-node-kind="group"]:not(:has(> .node__children)) > .node__title');
    const count = await closed.count();
    if (count === 0) break;
    for (let i = count - 1; i >= 0; i--) await closed.nth(i).click();
  }
  const groups = await page.locator('.node[data-node-kind="group"] > .node__title .node__name').allInnerTexts();
  const leaves = await page.locator('.node[data-node-kind="leaf"] > .node__title, a.node__leaf, .node__leaf')
    .evaluateAll(els => els.map(e => ({ name: (e.querySelector('.node__name') || e).innerText.trim(),
      status: (e.querySelector('[class*="status"]') || e).getAttribute('class') || '' })));
  let opened = { title: '', attachments: [] };
  const target = page.locator('.node__leaf', { hasText: wanted }).first();
  if (await target.count()) {
    await target.click();
    await page.waitForSelector('.test-result__name, .pane__title-text', { timeout: 15000 });
    const steps = page.locator('.step__title:has-text("Test body"), .step__title');
    if (await steps.count()) await steps.first().click().catch(() => {});
    await page.waitForTimeout(500);
    opened = {
      title: (await page.locator('.test-result__name').first().innerText().catch(() => '')).trim(),
      attachments: (await page.locator('.attachment-row__name').allInnerTexts()).map(t => t.trim()),
      text: (await page.locator('.side-by-side__right').first().innerText().catch(() => '')).slice(0, 20000),
    };
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ groups, leaves, opened }));
} finally {
  await browser.close();
}

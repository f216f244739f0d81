/**
 * index.html in a real browser (headless Chromium through playwright-core): the page renders, its matrix
 * and parity findings are there for a reader, it logs no error and fetches nothing. A broken page fails CI
 * (`.ci/run` installs Debian's chromium). The screenshot is kept for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { renderHtml } from './html.ts';
import { buildResultsDocument } from './results-document.ts';

const CHROMIUM = process.env['FWPROBE_CHROMIUM'] ?? '/usr/bin/chromium';
/** Where the screenshot is kept. @default reports/ (env FWPROBE_REPORT_DIR) */
const SHOT_DIR = process.env['FWPROBE_REPORT_DIR'] ?? 'reports';

// On CI a missing browser is a failure; on a developer's machine without chromium the skip is declared.
const available = existsSync(CHROMIUM);
if (!available && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);

describe.skipIf(!available)(`index.html in headless Chromium (${CHROMIUM})`, () => {
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'fwprobe-chromium-'));
    // A fresh profile each run (playwright passes it as --user-data-dir): nothing carried over from another run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('renders the parity findings first and one coloured cell per port × column, with no error and no request', async () => {
    const evil = { ...gapResult('<script>window.pwned = 1</script> v4-only'), file: 'scenarios/evil.scenario.yaml' };
    const doc = buildResultsDocument([gapResult(), fixedResult(), errorResult(), evil], { now: new Date('2025-01-02T03:04:05Z') });
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-html-'));
    const file = join(dir, 'index.html');
    await writeFile(file, renderHtml(doc));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => r.url() !== url && requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });

    // 3 scenarios with a matrix × 3 ports × 4 columns (loopback, peer × IPv4, IPv6).
    expect(await page.locator('table.matrix td.cell').count()).toBe(36);
    expect(await page.locator('table.matrix td.cell.exposed').count()).toBe(8);
    const finding = page.getByText('loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)').first();
    await expect(finding.isVisible()).resolves.toBe(true);
    // Parity first: the findings are above the first scenario's section.
    const parityTop = (await page.locator('#parity').boundingBox())!.y;
    expect(parityTop).toBeLessThan((await page.locator('section.scenario').first().boundingBox())!.y);
    // The name is text on the page, and nothing ran.
    await expect(page.getByText('<script>window.pwned = 1</script> v4-only').first().isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    // An exposure is red (the colour is the message).
    expect(
      await page
        .locator('td.cell.exposed')
        .first()
        .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor),
    ).toBe('rgb(229, 72, 77)');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    await mkdir(SHOT_DIR, { recursive: true });
    const shot = resolve(SHOT_DIR, 'index.html.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

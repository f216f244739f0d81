/**
 * index.html in a real browser (headless Chromium through playwright-core): the page renders, its matrix
 * and parity findings are there for a reader, it logs no error and fetches nothing. A broken page fails CI
 * (`.ci/run` installs Debian's chromium). The screenshot is kept for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { renderHtml } from './html.ts';
import { buildResultsDocument, type ResultsDocument } from './results-document.ts';

const CHROMIUM = process.env['FWPROBE_CHROMIUM'] ?? '/usr/bin/chromium';
/** Where the screenshot is kept. @default reports/ (env FWPROBE_REPORT_DIR) */
const SHOT_DIR = process.env['FWPROBE_REPORT_DIR'] ?? 'reports';
/** results.json of a real run of two lean scenarios, checked in. */
const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/html-report/results.json');

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

  it('renders the exposures first and one coloured cell per port × column, with no error and no request', async () => {
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
    // Exposures first, parity next: both above the first scenario's section.
    const exposuresTop = (await page.locator('#exposures').boundingBox())!.y;
    const parityTop = (await page.locator('#parity').boundingBox())!.y;
    expect(exposuresTop).toBeLessThan(parityTop);
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
  it('lays out a real run at 1280 px: exposures first, nothing wider than the viewport, "not-open" in a failing cell, the rule on hover', async () => {
    // results.json of a real run (test/fixtures/html-report/README.md says how it was made), a hostile name added.
    const doc = JSON.parse(await readFile(FIXTURE, 'utf8')) as ResultsDocument;
    const web01 = doc.scenarios.find((s) => s.name === 'web01 v4-only leaves IPv6 open')!;
    web01.name = '<script>window.pwned = 1</script> web01 v4-only leaves IPv6 open';
    // Texts with no place to break (a path-like name, a rule's comment) must wrap, not widen the page.
    const long = `${'x'.repeat(40)}/`.repeat(8);
    web01.file = `test/fixtures/${long}web-v4-only.scenario.yaml`;
    const ssh = web01.observations.find((o) => o.port === 22 && o.family === 'ipv4')!;
    ssh.attribution = { ...ssh.attribution!, rule: `${ssh.attribution!.rule} -m comment --comment ${long}` };
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-html-'));
    const file = join(dir, 'index.html');
    await writeFile(file, renderHtml(doc));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => r.url() !== url && requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });

    // The first panel is the exposures panel: the run's two IPv6 exposures of web01, one line each.
    expect(await page.locator('main > section').first().getAttribute('id')).toBe('exposures');
    await expect(page.locator('#exposures h2').textContent()).resolves.toBe('Exposed, not expected (2)');
    const lines = await page.locator('#exposures tbody tr').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/web01.*peer.*ipv6.*tcp\/80.*expected not-open.*open.*policy ACCEPT, ip6tables INPUT/);
    // A failing cell says the expectation's word, and its hover title holds the deciding rule.
    const failing = page.locator(`#${await scenarioId(page, 'web01')} td.cell.exposed`).first();
    await expect(failing.textContent()).resolves.toMatch(/^OPEN \[\d+\]expected not-open$/);
    await expect(failing.getAttribute('title')).resolves.toMatch(/expected: not-open; why: policy ACCEPT, ip6tables INPUT/);
    const sshCell = page.locator(`#${await scenarioId(page, 'web01')} td.cell.ok.open`).first();
    await expect(sshCell.getAttribute('title')).resolves.toContain('ssh from anywhere until the bastion host is up');
    await expect(sshCell.textContent()).resolves.not.toContain('ssh from anywhere');
    // Lint notes are folded; the name is text, nothing ran, nothing was fetched.
    await expect(page.locator('#lint details').getAttribute('open')).resolves.toBeNull();
    await expect(page.getByText('<script>window.pwned = 1</script> web01').first().isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

    // Nothing wider than the viewport, with every folded part open too (rulesets, XML, the why lists).
    await page.locator('details:not([open]) > summary').evaluateAll((all) => all.forEach((s) => (s as unknown as { click(): void }).click()));
    const layout = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number }; querySelectorAll(q: string): ArrayLike<Box> } }).document;
      const wide = Array.from(d.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > 1280)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} right ${Math.round(el.getBoundingClientRect().right)}`);
      return { scrollWidth: d.documentElement.scrollWidth, wide, checked: d.querySelectorAll('body *').length };
    });
    expect(layout.wide).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(1280);
    expect(layout.checked).toBeGreaterThan(200);
    expect(requests).toEqual([]);

    await mkdir(SHOT_DIR, { recursive: true });
    const shot = resolve(SHOT_DIR, 'html-1280.png');
    // The first screen as a reader sees it, the folded parts folded again.
    await page.reload({ waitUntil: 'load' });
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
  it('scrolls a matrix wider than the page inside its own box (16 columns), the page itself no wider than 1280 px', async () => {
    const doc = JSON.parse(await readFile(FIXTURE, 'utf8')) as ResultsDocument;
    const web01 = doc.scenarios.find((s) => s.name.includes('web01'))!;
    // Eight vantages of two families each: the same readings, as a topology with many peers gives them.
    const vantages = Array.from({ length: 8 }, (_, i) => `peer-in-zone-${i + 1}`);
    web01.observations = vantages.flatMap((vantage) => web01.observations.map((o) => ({ ...o, vantage })));
    web01.scans = vantages.flatMap((vantage) => web01.scans.map((x) => ({ ...x, vantage })));
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-html-'));
    const file = join(dir, 'index.html');
    await writeFile(file, renderHtml(doc));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const id = await scenarioId(page, 'web01');
    await expect(page.locator(`#${id} table.matrix th`).count()).resolves.toBe(1 + 16 + 1 + 3);
    const box = await page.locator(`#${id} div.scroll`).evaluate((el) => {
      const e = el as unknown as { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { right: number } };
      return { scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, right: e.getBoundingClientRect().right };
    });
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    expect(box.right).toBeLessThanOrEqual(1280);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

interface Box {
  tagName: string;
  className: string;
  getBoundingClientRect(): { right: number };
}

/** The section id of the scenario whose name contains `name`. */
async function scenarioId(page: Page, name: string): Promise<string> {
  const id = await page.locator('section.scenario', { hasText: name }).first().getAttribute('id');
  return id!;
}

/**
 * The operations dashboard in a real browser (Debian's headless Chromium driven by playwright-core):
 * the real app on the local host, a trip job submitted through the API appears, moves and finishes
 * on the page; a failed job shows its reason. Screenshots go to test-artifacts/ops-dashboard/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTripHost, type TripHost } from '../e2e/trip-host';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/ops-dashboard');
const WAIT = { timeout: 60_000 };

jest.setTimeout(180_000);

/** Runs in the page (a string: the tests compile without the DOM types): every state shown per job row. */
const RECORD_JOB_ROWS = `(() => {
  const seen = (window.seen = []);
  new MutationObserver(() => {
    for (const row of document.querySelectorAll('#jobs tr[data-job-id]')) {
      const progress = Number(row.querySelector('[data-progress]')?.dataset.progress);
      const entry = { jobId: row.dataset.jobId, status: row.dataset.status, progress };
      const last = seen.filter((s) => s.jobId === entry.jobId).at(-1);
      if (!last || last.status !== entry.status || last.progress !== entry.progress) seen.push(entry);
    }
  }).observe(document.getElementById('jobs'), { subtree: true, childList: true });
})()`;

describe('operations dashboard in Chromium', () => {
  let trip: TripHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`,
      );
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    trip = await startTripHost();
    seedModelPanels(trip);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(`${trip.host.baseUrl}/api/ops`);
    await page.locator('#live', { hasText: 'live' }).waitFor(WAIT);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await trip?.stop();
  });

  it('shows a submitted trip job appear, move and finish', async () => {
    // Every state the page shows for the job, as the page renders it.
    await page.evaluate(RECORD_JOB_ROWS);
    const body = trip.trip();
    expect((await trip.post(body)).status).toBe(202);
    const row = page.locator(`#jobs tr[data-job-id="${body.jobId}"]`);
    await row.waitFor(WAIT);
    await page.locator(`#jobs tr[data-job-id="${body.jobId}"][data-status="completed"]`).waitFor(WAIT);
    await expect(row.locator('[data-progress]').getAttribute('data-progress')).resolves.toBe('100');
    const seen = (await page.evaluate('window.seen')) as Array<{
      jobId: string;
      status: string;
      progress: number;
    }>;
    const mine = seen.filter((s) => s.jobId === body.jobId);
    // It moved: shown processing part way before it was shown completed, progress never going back.
    expect(mine.some((s) => s.status === 'processing' && s.progress > 0 && s.progress < 100)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
    const progress = mine.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await expect(
      page.locator('#counts tr[data-workflow="trip-generation"] [data-count="completed"]').textContent(),
    ).resolves.toBe('1');
    await page.screenshot({ path: path.join(ARTIFACTS, 'completed-job.png'), fullPage: true });
  });

  it('shows a failed job with its reason, and queue depths from the Service Bus', async () => {
    const body = trip.infeasibleTrip();
    expect((await trip.post(body)).status).toBe(202);
    await page.locator(`#jobs tr[data-job-id="${body.jobId}"][data-status="failed"]`).waitFor(WAIT);
    await expect(
      page.locator(`#jobs tr[data-job-id="${body.jobId}"] [data-reason]`).textContent(),
    ).resolves.toMatch(/^NoFeasiblePlan: /);
    await page.locator(`#failures tr[data-failed-job="${body.jobId}"]`).waitFor(WAIT);
    await expect(
      page.locator(`#failures tr[data-failed-job="${body.jobId}"] .reason`).textContent(),
    ).resolves.toMatch(/^NoFeasiblePlan: /);
    // A malformed message is dead-lettered; the next refresh (every 5 s) shows it on its queue.
    trip.host.serviceBus!.send('ai-trip-generation', {
      messageId: 'm-browser-bad',
      sessionId: 'malformed',
      body: { jobId: 'browser-bad', userId: 'user-9', days: 99, places: [] },
      contentType: 'application/json',
    });
    await trip.host.serviceBus!.whenIdle();
    await page
      .locator('#queues tr[data-queue="ai-trip-generation"] [data-dead-letters]', { hasText: '1' })
      .waitFor(WAIT);
    await page.locator('[data-redis-healthy="true"]').waitFor(WAIT);
    await page.locator('[data-chart-legend]', { hasText: 'canary' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'failed-job.png'), fullPage: true });
  });
});

/**
 * The model panels and canary chart read what the serving and training code report; until those are
 * merged, the test reports sample figures through the same hooks (the registry shape, the serving
 * counters), so the page is exercised with data.
 */
function seedModelPanels(trip: TripHost): void {
  trip.app.models.registerModelSource(async () => [
    {
      modelName: 'recommendations',
      productionVersion: 3,
      canaryVersion: 4,
      canaryPercent: 10,
      versions: [
        {
          version: 3,
          status: 'production',
          algorithm: 'als',
          metrics: { recallAt20: 0.19, ndcgAt10: 0.08 },
          trainedAt: '2026-12-01T03:00:00Z',
        },
        {
          version: 4,
          status: 'canary',
          algorithm: 'bpr',
          metrics: { recallAt20: 0.18, ndcgAt10: 0.08 },
          trainedAt: '2026-12-02T03:00:00Z',
        },
      ],
    },
  ]);
  const now = Date.now();
  for (let minute = 20; minute >= 0; minute--) {
    const at = new Date(now - minute * 60_000);
    for (let i = 0; i < 90; i++) trip.app.serving.recordServing('3', 'production', 'impression', at);
    for (let i = 0; i < 10; i++) trip.app.serving.recordServing('4', 'canary', 'impression', at);
    for (let i = 0; i < 7 + (minute % 3); i++) trip.app.serving.recordServing('3', 'production', 'click', at);
    for (let i = 0; i < 1 + (minute % 2); i++) trip.app.serving.recordServing('4', 'canary', 'click', at);
  }
}

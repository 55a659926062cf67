import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROCESS_REGISTRY_ENV } from '../../tools/redis/process-registry';

/**
 * The watchdog reporter in a jest run of its own (no rig, plain JavaScript test files), with its
 * limits shortened to seconds: a hung file ends the run as failed and named, and a run whose process
 * outlives its results is ended.
 */
const root = path.resolve(__dirname, '../..');
const reporter = path.join(root, 'tests/rig/watchdog-reporter.js');

function runJest(
  files: Record<string, string>,
  env: Record<string, string>,
): Promise<{ code: number | null; err: string; ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchdog-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const config = {
    rootDir: dir,
    testMatch: ['**/*.test.js'],
    transform: {},
    maxWorkers: 2,
    reporters: ['default', reporter],
    ...(files['teardown.js'] ? { globalTeardown: path.join(dir, 'teardown.js') } : {}),
  };
  const { [PROCESS_REGISTRY_ENV]: _outer, ...withoutRegistry } = process.env;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config)],
      // Not this run's process registry: the inner watchdog kills what a registry lists.
      { cwd: dir, env: { ...withoutRegistry, ...env } },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, err, ms: Date.now() - started });
    });
  });
}

const spin = `it('spins', () => { const end = Date.now() + 600000; while (Date.now() < end); });\n`;

describe('the test-run watchdog', () => {
  it('ends a run in which no file finishes, naming the file still running', async () => {
    const run = await runJest(
      { 'spin.test.js': spin, 'quick.test.js': `it('passes', () => {});\n` },
      { TEST_STALL_MINUTES: '0.1', TEST_SLOW_MINUTES: '0.05' },
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/\[watchdog\] still running after \d+ s: .*spin\.test\.js/);
    expect(run.err).toMatch(/no test file has finished for \d+ s; running:\n {2}.*spin\.test\.js/);
    expect(run.err).not.toMatch(/quick\.test\.js \(/);
    // Well before the spinning test's own 10 minutes: the run was ended, not waited out.
    expect(run.ms).toBeLessThan(60_000);
  }, 90_000);

  it('ends a run whose process stays alive after its results', async () => {
    const run = await runJest(
      {
        'quick.test.js': `it('passes', () => {});\n`,
        'teardown.js': `module.exports = async () => { setInterval(() => {}, 1000); };\n`,
      },
      { TEST_EXIT_GRACE_MINUTES: '0.05' },
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/the run finished \d+ s ago but the process is still alive/);
    expect(run.err).toMatch(/live resources: .*Timeout/);
  }, 90_000);

  it('stays silent in a run that finishes and exits', async () => {
    const run = await runJest(
      { 'quick.test.js': `it('passes', () => {});\n` },
      { TEST_STALL_MINUTES: '0.1', TEST_EXIT_GRACE_MINUTES: '0.05' },
    );
    expect(run.code).toBe(0);
    expect(run.err).not.toMatch(/watchdog/);
  }, 90_000);
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '../../tools/redis/process-registry';

/**
 * `npm run test:mutation`'s wrapper stopped with Ctrl-C (SIGINT): the command's whole process group
 * goes, including what the command started in the background (Stryker's workers and their servers).
 * Under jest the wrapper reuses this run's rig (its variables are set), so it starts no servers.
 */
const root = path.resolve(__dirname, '../..');

it('stops the command and everything it started when it is interrupted', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'with-rig-'));
  const pidFile = path.join(dir, 'background.pid');
  const wrapper = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['tools/mutation/with-rig.ts', 'sh', '-c', `sleep 300 & echo $! > ${pidFile}; wait`],
    { cwd: root, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => wrapper.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error('the wrapped command never started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const background = Number(fs.readFileSync(pidFile, 'utf8'));
  expect(isAlive(background)).toBe(true);

  wrapper.kill('SIGINT');
  expect(await exited).not.toBe(0);
  const gone = Date.now() + 5_000;
  while (isAlive(background) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
  expect(isAlive(background)).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/**
 * A jest reporter that turns a hung run into a quick, named failure. CI gives a run 90 minutes and
 * then kills it, printing only part of the output; a full run takes 3-9 minutes here. So:
 * - no test file finishing for STALL_MINUTES (default 15) prints the files still running, with how
 *   long each has run, and ends the run with exit code 1;
 * - a file running past SLOW_MINUTES (default 6) is named once on stderr while the run goes on;
 * - after the results, the global teardown and jest's own exit get EXIT_GRACE_MS (default 3 min):
 *   past that the live handles are printed and the process exits (with 1) instead of lingering.
 * Plain JavaScript: jest loads reporters without its transform. Its timers are unref'd, so it never
 * keeps a run alive on its own.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const minutes = (name, fallback) => {
  const value = Number(process.env[name]);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 60_000;
};
const STALL_MS = minutes('TEST_STALL_MINUTES', 15);
const SLOW_MS = minutes('TEST_SLOW_MINUTES', 6);
const EXIT_GRACE_MS = minutes('TEST_EXIT_GRACE_MINUTES', 3);

class WatchdogReporter {
  constructor() {
    this.running = new Map();
    this.named = new Set();
    this.lastProgress = Date.now();
    this.timer = setInterval(() => this.check(), Math.min(30_000, STALL_MS / 3));
    this.timer.unref();
  }

  onTestFileStart(test) {
    this.running.set(test.path, Date.now());
  }

  onTestFileResult(test) {
    this.running.delete(test.path);
    this.lastProgress = Date.now();
  }

  check(now = Date.now()) {
    for (const [file, since] of this.running) {
      if (now - since > SLOW_MS && !this.named.has(file)) {
        this.named.add(file);
        process.stderr.write(`[watchdog] still running after ${elapsed(now - since)}: ${file}\n`);
      }
    }
    if (now - this.lastProgress > STALL_MS) {
      process.stderr.write(
        `[watchdog] no test file has finished for ${elapsed(now - this.lastProgress)}; running:\n` +
          [...this.running].map(([file, since]) => `  ${file} (${elapsed(now - since)})\n`).join('') +
          '[watchdog] ending the run as failed\n',
      );
      killLeftovers();
      process.exit(1);
    }
  }

  onRunComplete() {
    clearInterval(this.timer);
    setTimeout(() => {
      process.stderr.write(
        `[watchdog] the run finished ${elapsed(EXIT_GRACE_MS)} ago but the process is still alive ` +
          `(global teardown or an open handle); live resources: ${process.getActiveResourcesInfo().join(', ')}\n`,
      );
      killLeftovers();
      process.exit(1);
    }, EXIT_GRACE_MS).unref();
  }
}

/**
 * Exiting skips the global teardown, so the servers the run started (the rig's and any a test file
 * left; each records its pid in the run's process registry, tools/redis/process-registry.ts) and
 * jest's own workers (a hung one spins on) are killed here rather than outliving the run.
 */
function killLeftovers() {
  spawnSync('pkill', ['-KILL', '-P', String(process.pid)]);
  const dir = process.env.TEST_PROCESS_REGISTRY_DIR; // PROCESS_REGISTRY_ENV there (plain JS cannot import it)
  if (!dir || !fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    try {
      process.kill(Number(name), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function elapsed(ms) {
  return `${Math.round(ms / 1000)} s`;
}

module.exports = WatchdogReporter;

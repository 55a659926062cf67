import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, waitForPort } from './free-port';

/**
 * A private redis-server that speaks only TLS, on a port of its own (never 6379/6380/10000), as one
 * OSS-cluster node owning every slot: the shape Azure Managed Redis presents with the OSS cluster
 * policy (a TLS cluster endpoint, CLUSTER SLOTS answering with TLS ports). Its CA and server
 * certificate (for `localhost` and 127.0.0.1) are made with openssl when it starts.
 */
export interface TlsRedisHandle {
  readonly host: 'localhost';
  readonly port: number;
  /** PEM of the CA that signed the server certificate: what a client must trust. */
  readonly ca: string;
  /** A plain admin client over TLS (the default user), for test set-up. */
  admin(): Redis;
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
}

/** A throw-away CA and a server certificate it signs, valid for localhost and 127.0.0.1. */
function makeCertificates(dir: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=tripgen-test-ca',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  ]);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startTlsRedisCluster(): Promise<TlsRedisHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-tls-'));
  makeCertificates(dir);
  let port = await freePort();
  while ([6379, 6380, 10000].includes(port)) port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      path.join(dir, 'server.crt'),
      '--tls-key-file',
      path.join(dir, 'server.key'),
      '--tls-ca-cert-file',
      path.join(dir, 'ca.crt'),
      '--tls-auth-clients',
      'no',
      '--tls-cluster',
      'yes',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      // A lone node never learns its own address (no MEET): announce it, or CLUSTER SLOTS says ''.
      '--cluster-announce-ip',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ca = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const admin = () =>
    new Redis({ host: '127.0.0.1', port, tls: { ca, servername: 'localhost' }, lazyConnect: false });
  try {
    await waitForPort(port, 10_000);
    const setup = admin();
    await setup.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    for (let i = 0; i < 100; i++) {
      const info = String(await setup.call('CLUSTER', 'INFO'));
      if (info.includes('cluster_state:ok')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    setup.disconnect();
  } catch (error) {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: 'localhost',
    port,
    ca,
    admin,
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

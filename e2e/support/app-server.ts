import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const DEMO_PASSWORD = 'outpost-field-demo';

export interface AppServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${args.join(' ')} exited ${code}: ${errors}`))));
  });
}

/**
 * The real server as a process, serving the built PWA from dist/ on a free port, on an SQLite
 * file of its own. Demo data by default; `devices` (and `orgs`) seed a larger fleet with the
 * seed CLI.
 */
export async function startAppServer(options: { devices?: number; orgs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<AppServer> {
  const staticDir = join(ROOT, 'dist');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, OUTPOST_DATA_DIR: dataDir, OUTPOST_STATIC_DIR: staticDir, PORT: '0', HOST: '127.0.0.1', OUTPOST_DEMO: '1', ...options.env };
  delete env['DATABASE_URL'];
  if (options.devices !== undefined) {
    await run(['server/seed/cli.ts', '--devices', String(options.devices), ...(options.orgs ? ['--orgs', String(options.orgs)] : [])], env);
    env['OUTPOST_DEMO'] = '0';
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (https?:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => fail(new Error(`the server exited ${code}: ${output}`)));
  });
  return {
    url,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

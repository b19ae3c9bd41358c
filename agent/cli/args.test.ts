import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { parseCommand } from './args.ts';

const parse = (...argv: string[]) => parseCommand(argv, () => '/var/lib/outpost-agent');
const TOKEN = 'tok_0123456789abcdefghij';

describe('command line', () => {
  it('parses enroll with its defaults', () => {
    expect(parse('enroll', '--server', 'https://outpost.example.com/', '--token', TOKEN)).toEqual({
      name: 'enroll',
      server: 'https://outpost.example.com',
      token: TOKEN,
      stateDir: '/var/lib/outpost-agent',
      force: false,
    });
  });

  it('parses enroll with every option, resolving the state dir', () => {
    expect(parse('enroll', '--server=http://127.0.0.1:8787', `--token=${TOKEN}`, '--kind', 'pos', '--force', '--state-dir', '/tmp/agent')).toEqual({
      name: 'enroll',
      server: 'http://127.0.0.1:8787',
      token: TOKEN,
      stateDir: '/tmp/agent',
      force: true,
      deviceKind: 'pos',
    });
  });

  it('parses run and status', () => {
    expect(parse('run')).toEqual({ name: 'run', stateDir: '/var/lib/outpost-agent', intervalSeconds: 60, once: false });
    expect(parse('run', '--interval', '300', '--once')).toEqual({ name: 'run', stateDir: '/var/lib/outpost-agent', intervalSeconds: 300, once: true });
    expect(parse('status', '--state-dir', '/tmp/x')).toEqual({ name: 'status', stateDir: '/tmp/x' });
  });

  it('answers help and version', () => {
    expect(parse()).toEqual({ name: 'help' });
    expect(parse('--help')).toEqual({ name: 'help' });
    expect(parse('run', '--help')).toEqual({ name: 'help' });
    expect(parse('--version')).toEqual({ name: 'version' });
  });

  it.each([
    [['launch'], 'unknown command "launch": use enroll, run or status (outpost-agent help)'],
    [['enroll', '--token', TOKEN], 'enroll needs --server https://outpost.example.com'],
    [['enroll', '--server', 'https://x.example'], 'enroll needs --token TOKEN'],
    [['enroll', '--server', 'outpost.example.com', '--token', TOKEN], '--server "outpost.example.com" is not a URL: give the server\'s address, such as https://outpost.example.com'],
    [['enroll', '--server', 'ftp://x.example', '--token', TOKEN], '--server must start with https:// (or http:// for a test server), not ftp://'],
    [['enroll', '--server', 'https://admin:pw@x.example', '--token', TOKEN], '--server must not contain a user name or password'],
    [['enroll', '--server', 'https://x.example', '--token', 'short'], '--token does not look like an enrollment token (20 to 200 characters, no spaces): copy it again from the admin page'],
    [['enroll', '--server', 'https://x.example', '--token', TOKEN, '--kind', 'toaster'], expect.stringMatching(/^--kind must be one of workstation, laptop/)],
    [['run', '--interval', '5'], '--interval must be a whole number of seconds from 10 to 86400, not "5"'],
    [['run', '--interval', '1m'], '--interval must be a whole number of seconds from 10 to 86400, not "1m"'],
    [['run', '--interval'], '--interval needs a value for run, or takes none (outpost-agent help)'],
    [['run', '--once=yes'], '--once needs a value for run, or takes none (outpost-agent help)'],
    [['run', '--token', TOKEN], 'unknown option --token for run (outpost-agent help)'],
    [['status', 'now'], 'unexpected argument "now" for status (outpost-agent help)'],
    [['status', '--state-dir', ''], '--state-dir needs a directory'],
  ])('refuses %j with a message that says what to do', (argv, message) => {
    let error: unknown;
    try {
      parse(...argv);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toEqual(message);
  });
});

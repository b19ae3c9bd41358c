import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('blanks secrets and bodies even when a whole request is logged by mistake', () => {
    const written: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (chunk: string) => void written.push(chunk) } });
    logger.info(
      {
        password: 'pw-1',
        token: 'tok-1',
        req: { headers: { authorization: 'Bearer tok-2', cookie: 'outpost_session=ses-1', 'set-cookie': 'outpost_session=ses-2' }, body: { password: 'pw-2' } },
        enrollment: { token: 'tok-3', deviceSecret: 'sec-1' },
        headers: { authorization: 'Bearer tok-4', cookie: 'ses-3' },
        route: '/api/auth/login',
      },
      'oops',
    );
    const text = written.join('');
    for (const secret of ['pw-1', 'pw-2', 'tok-1', 'tok-2', 'tok-3', 'tok-4', 'ses-1', 'ses-2', 'ses-3', 'sec-1']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ level: 'info', msg: 'oops', route: '/api/auth/login', password: '[redacted]', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });
});

import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { localActor, localCaller, osUserName } from './caller';

describe('the local caller', () => {
  it('is the person running the app, with the way they came in', () => {
    expect(localActor('desktop', 'anna')).toBe('anna (desktop)');
    expect(localActor('cli', 'anna')).toBe('anna (command line)');
    expect(localActor('local', 'anna')).toBe('anna (browser)');
  });

  it('takes the user name from the operating system, and falls back to the host', () => {
    expect(osUserName()).toBe(userInfo().username);
    expect(localCaller('desktop')).toEqual({
      role: 'admin',
      actor: `${userInfo().username} (desktop)`,
      inProcess: true,
    });
    expect(localCaller('local')).toEqual({ role: 'admin', actor: `${userInfo().username} (browser)` });
    expect(localCaller('cli').actor).not.toMatch(/^(cli|local)$/);
    expect(localActor('desktop', null)).toBe('desktop');
  });
});

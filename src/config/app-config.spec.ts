import { ConfigError, loadConfig } from './app-config';

const base = { JWT_SECRET: 'a-secret-of-sixteen+' };

describe('loadConfig', () => {
  it('fills defaults from SPEC §6', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.calendarTimeZone).toBe('Asia/Shanghai');
    expect(c.maxReopens).toBe(2);
    expect(c.rateLimitPerMinute).toBe(600);
    expect(c.role).toBe('all');
  });

  it('parses numbers and roles', () => {
    const c = loadConfig({
      ...base,
      PORT: '8080',
      MAX_REOPENS: '3',
      ROLE: 'worker',
      DEFAULT_WARN_AT: '0.75',
    });
    expect(c).toMatchObject({ port: 8080, maxReopens: 3, role: 'worker', defaultWarnAt: 0.75 });
  });

  it.each([
    ['JWT_SECRET', { JWT_SECRET: undefined }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['REDIS_URL', { REDIS_URL: 'http://x' }],
    ['ROLE', { ROLE: 'both' }],
    ['MAX_REOPENS', { MAX_REOPENS: '-1' }],
    ['ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short' }],
    ['BODY_LIMIT', { BODY_LIMIT: 'huge' }],
  ])('names %s when it is missing or malformed', (name, patch) => {
    expect(() => loadConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch })).toThrow(new RegExp(name));
  });
});

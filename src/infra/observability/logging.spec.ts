import type pino from 'pino';
import { Writable } from 'node:stream';
import { loadConfig } from '../../config/app-config';
import { createRootLogger, redactSecrets, SECRET_KEYS } from './logging';

const R = '[redacted]';

describe('redactSecrets', () => {
  it('replaces secret keys on the first three levels, arrays counting as a level', () => {
    const line = {
      password: 'p',
      appealId: 'a1',
      user: { token: 't', name: 'n', nested: { contactPhone: '138', deeper: { secret: 's' } } },
      items: [{ contactName: '张三', id: 1 }, 'plain'],
      webhook: { body: { appeal: { contactPhone: '139' } } },
    };
    expect(redactSecrets(line)).toEqual({
      password: R,
      appealId: 'a1',
      // the fourth level is not looked at, as with the paths k, *.k, *.*.k
      user: { token: R, name: 'n', nested: { contactPhone: R, deeper: { secret: 's' } } },
      items: [{ contactName: R, id: 1 }, 'plain'],
      webhook: { body: R },
    });
  });

  it('redacts every secret key of the list, whatever its value', () => {
    // the contact data, credentials and SQL parameters docs/operations.md promises are among them
    for (const k of [
      'password',
      'contactPhone',
      'contactName',
      'authorization',
      'token',
      'body',
      'parameters',
    ])
      expect(SECRET_KEYS).toContain(k);
    const keys = [...SECRET_KEYS];
    const line = Object.fromEntries(keys.map((k, i) => [k, i % 2 ? { x: 1 } : null]));
    expect(redactSecrets(line)).toEqual(Object.fromEntries(keys.map((k) => [k, R])));
    expect(redactSecrets({ Password: 'kept: keys match exactly' })).toEqual({
      Password: 'kept: keys match exactly',
    });
  });

  it('never modifies what the caller logged, and returns a line without secrets as it was', () => {
    const inner = { token: 't', ok: 1 };
    const line = { a: inner, list: [inner], n: 1 };
    const out = redactSecrets(line);
    expect(inner).toEqual({ token: 't', ok: 1 });
    expect(line.list[0]).toBe(inner);
    expect(out.a).toEqual({ token: R, ok: 1 });
    const clean = { appealId: 'a', at: new Date(0), n: [1, 2], o: { k: 'v' } };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it('keeps class instances and errors what they are, their secrets redacted', () => {
    class Entity {
      contactPhone = '13800000000';
      id = 'e1';
      label(): string {
        return this.id;
      }
    }
    const e = redactSecrets({ entity: new Entity() }).entity;
    expect(e).toBeInstanceOf(Entity);
    expect(e.contactPhone).toBe(R);
    expect(e.label()).toBe('e1');
    const err = Object.assign(new Error('duplicate key'), { parameters: ['13800000000'], code: '23505' });
    const out = redactSecrets({ error: err }).error;
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe('duplicate key');
    expect(out.stack).toBe(err.stack);
    expect(out.parameters).toBe(R);
    expect(err.parameters).toEqual(['13800000000']);
  });

  it('leaves values that serialise through toJSON, and primitives, alone; stops on cycles at the depth', () => {
    const buf = Buffer.from('x');
    expect(redactSecrets({ at: new Date(0), buf }).buf).toBe(buf);
    expect(redactSecrets('token')).toBe('token');
    expect(redactSecrets(null)).toBeNull();
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(() => redactSecrets(cyclic)).not.toThrow();
  });
});

describe('the root logger redacts', () => {
  const lines = (log: (l: pino.Logger) => void): Record<string, unknown>[] => {
    const out: string[] = [];
    const dest = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'info' });
    const logger = createRootLogger(config, { destination: dest });
    log(logger);
    return out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  it('each line’s object, a child’s bindings, and a serialised error', () => {
    const [a, b, c] = lines((l) => {
      l.info({ contactPhone: '13800000000', appeal: { contactName: '张三', number: 'ZQT1' } }, 'filed');
      l.child({ authorization: 'Bearer x', jobId: 'j1' })
        .child({ cookie: 'c' })
        .info({ data: { token: 't' } }, 'job');
      l.error({ err: Object.assign(new Error('boom'), { parameters: ['13800000000'] }) }, 'failed');
    });
    expect(a).toMatchObject({ msg: 'filed', contactPhone: R, appeal: { contactName: R, number: 'ZQT1' } });
    expect(b).toMatchObject({ msg: 'job', authorization: R, cookie: R, jobId: 'j1', data: { token: R } });
    expect(c.err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(JSON.stringify(c)).not.toContain('13800000000');
  });
});

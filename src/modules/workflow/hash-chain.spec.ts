import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalJson, eventHash, verifyChain, type ChainedEvent } from './hash-chain';

type StoredEvent = ChainedEvent & { prevHash: string; hash: string };

const APPEAL_ID = '7f1c2a9e-3b4d-4c5e-8f60-1a2b3c4d5e6f';
const ENTERPRISE_USER = 'a1b2c3d4-0000-4000-8000-000000000001';

const submitted: ChainedEvent = {
  appealId: APPEAL_ID,
  seq: 1,
  action: 'appeal.submitted',
  actorId: ENTERPRISE_USER,
  actorRole: 'enterprise',
  fromStatus: null,
  toStatus: 'submitted',
  data: { title: '水电费减免', channel: 'web', tags: ['电力', '补贴'], amount: 12.5 },
  createdAt: '2026-05-01T10:00:00.000+08:00',
};

/** A chain of five, built the way the services will: each prevHash is the previous hash. */
function buildChain(): StoredEvent[] {
  const bodies: Omit<ChainedEvent, 'appealId' | 'seq'>[] = [
    { ...submitted },
    {
      action: 'appeal.dispatched',
      actorId: 'a1b2c3d4-0000-4000-8000-000000000002',
      actorRole: 'dispatcher',
      fromStatus: 'submitted',
      toStatus: 'dispatched',
      data: { leadDepartmentId: 'd0000000-0000-4000-8000-000000000001', coDepartmentIds: [] },
      createdAt: new Date('2026-05-06T09:15:00.000Z'),
    },
    {
      action: 'assignment.acknowledged',
      actorId: 'a1b2c3d4-0000-4000-8000-000000000003',
      actorRole: 'handler',
      fromStatus: 'dispatched',
      toStatus: 'in_progress',
      data: { assignmentId: 'e0000000-0000-4000-8000-000000000001', role: 'lead' },
      createdAt: new Date('2026-05-06T10:00:00.250Z'),
    },
    {
      action: 'deadline.warning',
      actorId: null,
      actorRole: 'system',
      fromStatus: 'in_progress',
      toStatus: 'in_progress',
      data: { kind: 'reply', dueAt: '2026-05-13T09:30:00.000Z' },
      createdAt: new Date('2026-05-12T01:00:00.000Z'),
    },
    {
      action: 'appeal.replied',
      actorId: 'a1b2c3d4-0000-4000-8000-000000000003',
      actorRole: 'handler',
      fromStatus: 'in_progress',
      toStatus: 'replied',
      data: { outcome: 'resolved', content: '已协调供电公司办理减免。' },
      createdAt: new Date('2026-05-12T07:45:00.000Z'),
    },
  ];
  const chain: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  bodies.forEach((body, i) => {
    const event = { ...body, appealId: APPEAL_ID, seq: i + 1 };
    const hash = eventHash(prevHash, event);
    chain.push({ ...event, prevHash, hash });
    prevHash = hash;
  });
  return chain;
}

describe('canonicalJson', () => {
  it('sorts keys, nested ones included, so key order does not matter', () => {
    const a = { b: 1, a: { y: [1, 2], x: { q: true, p: null } } };
    const b = { a: { x: { p: null, q: true }, y: [1, 2] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":{"p":null,"q":true},"y":[1,2]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order and sorts the objects inside arrays', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([{ b: 2, a: 1 }, 'x'])).toBe('[{"a":1,"b":2},"x"]');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes Chinese and other unicode as is, escaping only what JSON requires', () => {
    expect(canonicalJson({ 标题: '企业诉求 "用电"\n' })).toBe('{"标题":"企业诉求 \\"用电\\"\\n"}');
    expect(canonicalJson('政企通😀')).toBe('"政企通😀"');
  });

  it('writes numbers, booleans and null as JSON does', () => {
    expect(canonicalJson({ i: 42, f: 12.5, n: -3, z: 0, big: 1e21, small: 1e-7 })).toBe(
      '{"big":1e+21,"f":12.5,"i":42,"n":-3,"small":1e-7,"z":0}',
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });

  it('writes Dates, nested ones included, as UTC ISO strings', () => {
    const at = new Date('2026-05-01T10:00:00+08:00');
    expect(canonicalJson(at)).toBe('"2026-05-01T02:00:00.000Z"');
    expect(canonicalJson({ when: { at }, list: [at] })).toBe(
      '{"list":["2026-05-01T02:00:00.000Z"],"when":{"at":"2026-05-01T02:00:00.000Z"}}',
    );
  });

  it('omits undefined properties and writes undefined in arrays as null, as jsonb would store them', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
  });

  it('gives the same text after a JSON round trip (what jsonb gives back)', () => {
    const value = { z: [{ y: 1, x: '二' }], a: { c: new Date('2026-01-02T03:04:05.006Z'), b: undefined } };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['nested NaN', { a: [NaN] }],
    ['bigint', 1n],
    ['nested bigint', { a: 1n }],
    ['function', () => 1],
    ['nested function', { f: () => 1 }],
    ['symbol', Symbol('s')],
    ['nested symbol', { s: Symbol('s') }],
    ['invalid Date', new Date('not a date')],
    ['top-level undefined', undefined],
  ])('throws a TypeError for %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('throws a TypeError for a cycle but accepts the same object twice', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });
});

describe('eventHash', () => {
  it('matches a vector computed independently from the hand-written canonical text', () => {
    const canonical =
      '{"action":"appeal.submitted","actorId":"a1b2c3d4-0000-4000-8000-000000000001","actorRole":"enterprise",' +
      '"appealId":"7f1c2a9e-3b4d-4c5e-8f60-1a2b3c4d5e6f","createdAt":"2026-05-01T02:00:00.000Z",' +
      '"data":{"amount":12.5,"channel":"web","tags":["电力","补贴"],"title":"水电费减免"},' +
      '"fromStatus":null,"seq":1,"toStatus":"submitted"}';
    const direct = createHash('sha256')
      .update('0'.repeat(64) + '\n' + canonical, 'utf8')
      .digest('hex');
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(eventHash(GENESIS_HASH, submitted)).toBe(direct);
    // and from `printf '%s\n%s' <genesis> <canonical> | sha256sum`, outside Node
    expect(direct).toBe('f58a11282aca5448ca9f465c11b5a8a1807937c902022327851194fc18c832f3');
  });

  it('is 64 lowercase hex characters', () => {
    expect(eventHash(GENESIS_HASH, submitted)).toMatch(/^[0-9a-f]{64}$/);
  });

  const changes: [string, Partial<ChainedEvent>][] = [
    ['appealId', { appealId: '7f1c2a9e-3b4d-4c5e-8f60-1a2b3c4d5e70' }],
    ['seq', { seq: 2 }],
    ['action', { action: 'appeal.dispatched' }],
    ['actorId', { actorId: 'a1b2c3d4-0000-4000-8000-000000000009' }],
    ['actorId to null', { actorId: null }],
    ['actorRole', { actorRole: 'dispatcher' }],
    ['fromStatus', { fromStatus: 'submitted' }],
    ['toStatus', { toStatus: 'dispatched' }],
    ['toStatus to null', { toStatus: null }],
    ['data', { data: { title: '水电费减免', channel: 'app', tags: ['电力', '补贴'], amount: 12.5 } }],
    [
      'data array order',
      { data: { title: '水电费减免', channel: 'web', tags: ['补贴', '电力'], amount: 12.5 } },
    ],
    ['data number', { data: { title: '水电费减免', channel: 'web', tags: ['电力', '补贴'], amount: 12.51 } }],
    ['data to null', { data: null }],
    ['createdAt by one millisecond', { createdAt: '2026-05-01T10:00:00.001+08:00' }],
  ];
  it.each(changes)('changes when %s changes', (_field, change) => {
    expect(eventHash(GENESIS_HASH, { ...submitted, ...change })).not.toBe(eventHash(GENESIS_HASH, submitted));
  });

  it('changes when prevHash changes', () => {
    expect(eventHash('1'.repeat(64), submitted)).not.toBe(eventHash(GENESIS_HASH, submitted));
  });

  it('ignores the key order of data', () => {
    const reordered = {
      ...submitted,
      data: { amount: 12.5, tags: ['电力', '补贴'], channel: 'web', title: '水电费减免' },
    };
    expect(eventHash(GENESIS_HASH, reordered)).toBe(eventHash(GENESIS_HASH, submitted));
  });

  it('hashes createdAt as a Date and as an equivalent string with an offset the same', () => {
    const asDate = { ...submitted, createdAt: new Date('2026-05-01T02:00:00.000Z') };
    const asString = { ...submitted, createdAt: '2026-05-01T10:00:00.000+08:00' };
    const asUtcString = { ...submitted, createdAt: '2026-05-01T02:00:00Z' };
    expect(eventHash(GENESIS_HASH, asString)).toBe(eventHash(GENESIS_HASH, asDate));
    expect(eventHash(GENESIS_HASH, asUtcString)).toBe(eventHash(GENESIS_HASH, asDate));
  });

  it('hashes an undefined nullable field as null, which is what the column gives back', () => {
    const missing = { ...submitted, actorId: undefined, data: undefined } as unknown as ChainedEvent;
    expect(eventHash(GENESIS_HASH, missing)).toBe(
      eventHash(GENESIS_HASH, { ...submitted, actorId: null, data: null }),
    );
  });

  it('throws a TypeError for an invalid createdAt', () => {
    expect(() => eventHash(GENESIS_HASH, { ...submitted, createdAt: 'yesterday-ish' })).toThrow(TypeError);
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain', () => {
    expect(verifyChain([])).toEqual({ valid: true, count: 0 });
  });

  it('accepts a valid chain of five', () => {
    const chain = buildChain();
    expect(chain[0].prevHash).toBe(GENESIS_HASH);
    expect(verifyChain(chain)).toEqual({ valid: true, count: 5 });
  });

  it('accepts the chain after a JSON round trip (createdAt as strings, data re-parsed)', () => {
    const readBack = JSON.parse(JSON.stringify(buildChain())) as StoredEvent[];
    expect(typeof readBack[1].createdAt).toBe('string');
    expect(verifyChain(readBack)).toEqual({ valid: true, count: 5 });
  });

  const tampering: [string, Partial<StoredEvent>, string][] = [
    ['appealId', { appealId: '00000000-0000-4000-8000-000000000000' }, 'hash_mismatch'],
    ['action', { action: 'appeal.supervised' }, 'hash_mismatch'],
    ['actorId', { actorId: 'a1b2c3d4-0000-4000-8000-000000000004' }, 'hash_mismatch'],
    ['actorRole', { actorRole: 'supervisor' }, 'hash_mismatch'],
    ['fromStatus', { fromStatus: 'submitted' }, 'hash_mismatch'],
    ['toStatus', { toStatus: 'returned' }, 'hash_mismatch'],
    ['data', { data: { assignmentId: 'e0000000-0000-4000-8000-000000000001', role: 'co' } }, 'hash_mismatch'],
    ['createdAt', { createdAt: new Date('2026-05-06T10:00:00.251Z') }, 'hash_mismatch'],
    ['createdAt (unparseable)', { createdAt: 'not a time' }, 'hash_mismatch'],
    ['hash', { hash: 'f'.repeat(64) }, 'hash_mismatch'],
    ['prevHash', { prevHash: 'e'.repeat(64) }, 'prev_hash_mismatch'],
    ['seq', { seq: 4 }, 'seq_gap'],
  ];
  it.each(tampering)('detects a tampered %s in the middle event (seq 3)', (_field, change, reason) => {
    const chain = buildChain();
    chain[2] = { ...chain[2], ...change };
    expect(verifyChain(chain)).toEqual({ valid: false, count: 5, brokenAtSeq: 3, reason });
  });

  it('detects tampering with data nested in place', () => {
    const chain = buildChain();
    (chain[4].data as Record<string, unknown>).outcome = 'explained';
    expect(verifyChain(chain)).toMatchObject({ valid: false, brokenAtSeq: 5, reason: 'hash_mismatch' });
  });

  it('detects a tampered event whose hash was recomputed, at the next event', () => {
    const chain = buildChain();
    const forged = { ...chain[2], data: { role: 'co' } };
    chain[2] = { ...forged, hash: eventHash(forged.prevHash, forged) };
    expect(verifyChain(chain)).toEqual({
      valid: false,
      count: 5,
      brokenAtSeq: 4,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a removed event as a seq gap', () => {
    const chain = buildChain();
    chain.splice(2, 1);
    expect(verifyChain(chain)).toEqual({ valid: false, count: 4, brokenAtSeq: 3, reason: 'seq_gap' });
  });

  it('detects a removed first event', () => {
    expect(verifyChain(buildChain().slice(1))).toEqual({
      valid: false,
      count: 4,
      brokenAtSeq: 1,
      reason: 'seq_gap',
    });
  });

  it('accepts a chain cut short at the end when no head is given (only the head can show that)', () => {
    expect(verifyChain(buildChain().slice(0, 3))).toEqual({ valid: true, count: 3 });
  });

  it('with the recorded head: the whole chain is valid; events cut off the end or added are caught', () => {
    const chain = buildChain();
    const head = { count: 5, hash: chain[4].hash };
    expect(verifyChain(chain, head)).toEqual({ valid: true, count: 5 });
    expect(verifyChain(chain.slice(0, 3), head)).toEqual({
      valid: false,
      count: 3,
      brokenAtSeq: 4,
      reason: 'head_mismatch',
    });
    expect(verifyChain(chain.slice(0, 4), { count: 4, hash: chain[4].hash })).toEqual({
      valid: false,
      count: 4,
      brokenAtSeq: 5,
      reason: 'head_mismatch',
    });
    expect(verifyChain(chain, { count: 4, hash: chain[3].hash })).toMatchObject({
      valid: false,
      brokenAtSeq: 5,
      reason: 'head_mismatch',
    });
    expect(verifyChain([], { count: 0, hash: null })).toEqual({ valid: true, count: 0 });
    expect(verifyChain([], { count: 2, hash: chain[1].hash })).toMatchObject({
      valid: false,
      brokenAtSeq: 1,
    });
  });

  it('detects reordered events', () => {
    const chain = buildChain();
    [chain[1], chain[2]] = [chain[2], chain[1]];
    expect(verifyChain(chain)).toEqual({ valid: false, count: 5, brokenAtSeq: 2, reason: 'seq_gap' });
  });

  it('detects reordered events even when their seq numbers are rewritten', () => {
    const chain = buildChain();
    [chain[1], chain[2]] = [
      { ...chain[2], seq: 2 },
      { ...chain[1], seq: 3 },
    ];
    expect(verifyChain(chain)).toEqual({
      valid: false,
      count: 5,
      brokenAtSeq: 2,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a wrong genesis, even when the first hash was computed over it', () => {
    const chain = buildChain();
    const prevHash = '1'.repeat(64);
    chain[0] = { ...chain[0], prevHash, hash: eventHash(prevHash, chain[0]) };
    expect(verifyChain(chain)).toEqual({
      valid: false,
      count: 5,
      brokenAtSeq: 1,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a duplicated event', () => {
    const chain = buildChain();
    chain.splice(2, 0, chain[1]);
    expect(verifyChain(chain)).toEqual({ valid: false, count: 6, brokenAtSeq: 3, reason: 'seq_gap' });
  });
});

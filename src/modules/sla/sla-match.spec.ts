import { AppealTraits, matchPolicy, MatchablePolicy } from './sla-match';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
const p = (
  name: string,
  categoryCode: string | null,
  type: string | null,
  urgency: string | null,
  created = 0,
  channel: string | null = null,
) => ({
  name,
  categoryCode,
  channel,
  type,
  urgency,
  createdAt: at(created),
});
const appeal = (over: Partial<AppealTraits> = {}): AppealTraits => ({
  categoryPath: ['UTIL.POWER', 'UTIL'],
  channel: 'hotline',
  type: 'help',
  urgency: 'normal',
  ...over,
});
const names = (ps: (MatchablePolicy & { name: string })[], a: AppealTraits) =>
  matchPolicy(ps, a)?.name ?? null;

describe('matchPolicy (SPEC §3: category, then type, then urgency)', () => {
  const all = [
    p('default', null, null, null),
    p('urgent', null, null, 'urgent'),
    p('consultation', null, 'consultation', null),
    p('utilities', 'UTIL', null, null),
    p('power', 'UTIL.POWER', null, null),
    p('power-complaint', 'UTIL.POWER', 'complaint', null),
    p('power-complaint-urgent', 'UTIL.POWER', 'complaint', 'urgent'),
  ];

  it('nothing matches when no policy applies', () => {
    expect(names([p('other', 'FIN', null, null)], appeal())).toBeNull();
  });

  it('the default applies when nothing more specific does', () => {
    expect(names(all, appeal({ categoryPath: ['FIN.LOAN', 'FIN'] }))).toBe('default');
  });

  it('the own category beats the parent category', () => {
    expect(names(all, appeal())).toBe('power');
    expect(names(all, appeal({ categoryPath: ['UTIL.WATER', 'UTIL'] }))).toBe('utilities');
  });

  it('category beats type and urgency', () => {
    expect(names(all, appeal({ type: 'consultation', urgency: 'urgent' }))).toBe('power');
    expect(names(all, appeal({ categoryPath: ['FIN'], type: 'consultation', urgency: 'urgent' }))).toBe(
      'consultation',
    );
  });

  it('type beats urgency; urgency beats nothing', () => {
    expect(names(all, appeal({ categoryPath: ['FIN'], urgency: 'urgent' }))).toBe('urgent');
    expect(names(all, appeal({ type: 'complaint' }))).toBe('power-complaint');
    expect(names(all, appeal({ type: 'complaint', urgency: 'urgent' }))).toBe('power-complaint-urgent');
  });

  it('a field that is set must match', () => {
    expect(names([p('x', null, 'report', null)], appeal())).toBeNull();
    expect(names([p('x', null, null, 'urgent')], appeal())).toBeNull();
    expect(names([p('x', 'UTIL.GAS', null, null)], appeal())).toBeNull();
  });

  it('equal specificity: the older policy wins, whatever the order given', () => {
    const older = p('older', 'UTIL', null, null, 1);
    const newer = p('newer', 'UTIL', null, null, 2);
    expect(names([newer, older], appeal({ categoryPath: ['UTIL'] }))).toBe('older');
    expect(names([older, newer], appeal({ categoryPath: ['UTIL'] }))).toBe('older');
  });
});

describe('matchPolicy with channel (SPEC §8.1: after category, before type)', () => {
  const all = [
    p('default', null, null, null),
    p('urgent-complaint', null, 'complaint', 'urgent'),
    p('meeting', null, null, null, 0, 'meeting'),
    p('meeting-urgent', null, null, 'urgent', 0, 'meeting'),
    p('power', 'UTIL.POWER', null, null),
    p('power-meeting', 'UTIL.POWER', null, null, 0, 'meeting'),
  ];
  const other = { categoryPath: ['FIN'] };

  it('a channel policy applies only to appeals of that channel', () => {
    expect(names(all, appeal({ ...other, channel: 'meeting' }))).toBe('meeting');
    expect(names(all, appeal({ ...other, channel: 'web' }))).toBe('default');
  });

  it('channel beats type and urgency', () => {
    expect(names(all, appeal({ ...other, channel: 'meeting', type: 'complaint', urgency: 'urgent' }))).toBe(
      'meeting-urgent',
    );
    expect(names(all, appeal({ ...other, channel: 'meeting', type: 'complaint' }))).toBe('meeting');
    expect(names(all, appeal({ ...other, channel: 'web', type: 'complaint', urgency: 'urgent' }))).toBe(
      'urgent-complaint',
    );
  });

  it('category beats channel', () => {
    expect(names(all.slice(0, 5), appeal({ channel: 'meeting' }))).toBe('power');
    expect(names(all, appeal({ channel: 'meeting' }))).toBe('power-meeting');
    expect(names(all, appeal({ channel: 'web' }))).toBe('power');
  });
});

import { JsonHoles } from '../../infra/database/json-holes';
import { eventHash, GENESIS_HASH, hashOfInput } from '../workflow/hash-chain';
import { Filing, firstFiling } from './first-filing';

const AT = new Date('2026-11-22T15:59:50.123Z');
const ODD = '引号" 反斜杠\\ 换行\n 制表\t \u0001 \u2028 😀';

const filing = (over: Partial<Filing> = {}): Filing => ({
  number: 'ZQT202611230000000042',
  type: 'help',
  categoryCode: 'C01',
  title: `标题 ${ODD}`,
  content: `内容\r\n${ODD}`,
  urgency: 'normal',
  district: '330502',
  channel: 'web',
  enterpriseId: '0b6f7c1e-5d2a-4e3b-9c8d-7a6b5c4d3e2f',
  contactName: `联系人"${ODD}`,
  contactPhone: '13800000000',
  confidential: false,
  meetingId: null,
  createdBy: 'a1b2c3d4-0000-4000-8000-000000000001',
  createdAt: AT,
  actorRole: 'enterprise',
  enterpriseName: `企业${ODD}`,
  categoryName: '融资信贷',
  ...over,
});

/** What single filing's statement does with the text: each stand-in replaced by its value as a JSON string. */
function fill(text: string, values: Map<string, string | null>, ids: [string, string]): string {
  let out = text.split(ids[0]).join(ids[1]);
  for (const [standIn, value] of values) out = out.split(JSON.stringify(standIn)).join(JSON.stringify(value));
  return out;
}

describe('firstFiling: the one builder of a new appeal', () => {
  it('starts the chain: one event after genesis, the hash of its input as eventHash makes it', () => {
    const f = firstFiling(filing());
    expect(f.appeal).toMatchObject({ status: 'submitted', version: 1, eventCount: 1, eventHead: null });
    expect(f.event).toMatchObject({
      appealId: f.appeal.id,
      seq: 1,
      prevHash: GENESIS_HASH,
      toStatus: 'submitted',
    });
    expect(f.event.data).toEqual({
      number: 'ZQT202611230000000042',
      channel: 'web',
      type: 'help',
      categoryCode: 'C01',
      urgency: 'normal',
    });
    expect(hashOfInput(f.hashInput)).toBe(eventHash(GENESIS_HASH, f.event));
    expect(f.snapshot.withAccess).toMatchObject({ categoryName: '融资信贷', enterpriseName: `企业${ODD}` });
  });

  it("a meeting's appeal records its meeting in the first event", () => {
    const meetingId = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
    expect(firstFiling(filing({ meetingId, channel: 'meeting' })).event.data).toMatchObject({ meetingId });
  });

  /** The builder with single filing's stand-ins, and with the values they stand for. */
  function both(confidential: boolean) {
    const holes = new JsonHoles();
    const standIns = {
      number: holes.hole('v.number'),
      district: holes.hole('v.district'),
      contactName: holes.hole('v.contact_name'),
      contactPhone: holes.hole('v.contact_phone'),
      enterpriseName: holes.hole('v.name'),
      categoryName: holes.hole('v.category_name'),
    };
    const real = filing({ confidential });
    const open = firstFiling({ ...real, ...standIns }, { hiddenAsConfidential: true });
    const made = firstFiling(real);
    const values = new Map<string, string | null>(
      Object.entries(standIns).map(([k, standIn]) => [standIn, real[k as keyof typeof standIns]]),
    );
    const filled = (text: string) => fill(text, values, [open.appeal.id, made.appeal.id]);
    return { open, made, filled };
  }

  it.each([false, true])(
    'stand-ins filled with the values give the text the values give (confidential: %s)',
    (confidential) => {
      const { open, made, filled } = both(confidential);
      expect(filled(open.hashInput)).toBe(made.hashInput);
      expect(filled(JSON.stringify(open.event.data))).toBe(JSON.stringify(made.event.data));
      expect(filled(JSON.stringify(open.snapshot.withAccess))).toBe(JSON.stringify(made.snapshot.withAccess));
    },
  );

  it('the snapshot without confidential access, sent only for a confidential appeal, is then the same', () => {
    const { open, made, filled } = both(true);
    expect(filled(JSON.stringify(open.snapshot.withoutAccess))).toBe(
      JSON.stringify(made.snapshot.withoutAccess),
    );
    expect(made.snapshot.withoutAccess).toMatchObject({ contactName: null, enterpriseName: null });
  });
});

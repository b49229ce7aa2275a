import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/common/clock';
import { ContactsService } from '../../src/modules/privacy/contacts.service';
import { AttachmentsService } from '../../src/modules/attachments/attachments.service';
import { appealBody, appealSuite } from '../setup/appeal-helpers';
import {
  sampleDocx,
  sampleHtml,
  sampleJpeg,
  sampleOfd,
  samplePdf,
  samplePng,
  sampleZip,
} from '../setup/sample-files';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;

/**
 * SPEC §11 end to end: evidence files (types read from the content, limits, storage once under the hash,
 * the hash in the chain, downloads, scopes, sharing on confidential appeals, images stripped there,
 * attachmentIds), masked contacts for departments and webhooks, the audited reveal, and retention.
 */
describe('evidence files and personal data (e2e, directory store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zqt-att-'));
  const clock = new FakeClock(new Date());
  const s = appealSuite({
    clock,
    env: { ATTACHMENTS_DIR: dir, ATTACHMENT_MAX_BYTES: '200000', ATTACHMENT_APPEAL_MAX_BYTES: '300000' },
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const CONTACT = { contactName: '张三丰', contactPhone: '13812345678' };
  const upload = (auth: string, appealId: string, bytes: Buffer, name: string, purpose = 'evidence') =>
    s.t
      .http()
      .post(`/api/v1/appeals/${appealId}/attachments`)
      .set('Authorization', auth)
      .field('purpose', purpose)
      .attach('file', bytes, name);
  const download = (auth: string, id: string) =>
    s.t
      .http()
      .get(`/api/v1/attachments/${id}/content`)
      .set('Authorization', auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  const file = async (extra: Record<string, unknown> = {}) =>
    (await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w, { ...CONTACT, ...extra })).expect(201))
      .body;
  const dispatched = async (extra: Record<string, unknown> = {}) => {
    const a = await file(extra);
    await s.api
      .post(`/appeals/${a.id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    return a;
  };
  const storedFiles = async () => {
    const out: string[] = [];
    for (const p of await readdir(join(dir, 'objects')).catch(() => [] as string[]))
      out.push(...(await readdir(join(dir, 'objects', p))));
    return out.sort();
  };
  const staged = async () => readdir(join(dir, 'staging')).catch(() => [] as string[]);

  it('accepts a PNG, a PDF, a DOCX and an OFD with the type read from the content and the hash in the chain', async () => {
    const a = await file();
    const cases: [Buffer, string, string][] = [
      [samplePng(), '现场照片.png', 'image/png'],
      [samplePdf(), '欠款发票.pdf', 'application/pdf'],
      [
        sampleDocx(),
        '情况说明.docx',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      // an OFD named .zip is still an OFD: the name is never read for the type
      [sampleOfd(), '电子发票.zip', 'application/ofd'],
    ];
    const ids: string[] = [];
    for (const [bytes, name, mediaType] of cases) {
      clock.advance(1000);
      const res = await upload(s.w.enterprise.auth, a.id, bytes, name).expect(201);
      expect(res.body).toMatchObject({
        fileName: name,
        mediaType,
        size: bytes.length,
        sha256: sha(bytes),
        purpose: 'evidence',
      });
      expect(res.body.uploadedBy).toBe(s.w.enterprise.user.id);
      ids.push(res.body.id);
      expect(await storedFiles()).toContain(sha(bytes));
    }
    const events = (await s.api.get(`/appeals/${a.id}/events`, s.w.dispatcher.auth).expect(200)).body.items;
    const added = events.filter((e: { action: string }) => e.action === 'attachment.added');
    expect(added.map((e: { data: { sha256: string } }) => e.data.sha256)).toEqual(cases.map(([b]) => sha(b)));
    expect(JSON.stringify(added)).not.toContain('欠款发票');
    expect(
      (await s.api.get(`/appeals/${a.id}/events/verify`, s.w.dispatcher.auth).expect(200)).body,
    ).toMatchObject({
      valid: true,
    });
    // the enterprise's timeline shows its own uploads
    const timeline = (await s.api.get(`/appeals/${a.id}/events`, s.w.enterprise.auth).expect(200)).body.items;
    expect(timeline.filter((e: { label: string }) => e.label === '已上传附件')).toHaveLength(4);

    // the same bytes again: a second row, one stored file
    clock.advance(1000);
    const again = await upload(s.w.dispatcher.auth, a.id, samplePdf(), 'copy.pdf').expect(201);
    expect(again.body.sha256).toBe(sha(samplePdf()));
    expect((await storedFiles()).filter((f) => f === sha(samplePdf()))).toHaveLength(1);

    const list = (await s.api.get(`/appeals/${a.id}/attachments`, s.w.enterprise.auth).expect(200)).body
      .items;
    expect(list.map((x: { id: string }) => x.id)).toEqual([...ids, again.body.id]);
    // staff ids are internal notes: the enterprise sees no uploader on the centre's file
    expect(list[4].uploadedBy).toBeNull();

    const got = await download(s.w.enterprise.auth, ids[1]).expect(200);
    expect(Buffer.compare(got.body as Buffer, samplePdf())).toBe(0);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('欠款发票.pdf')}`,
    );
  });

  it('refuses HTML named .pdf and a plain ZIP (415), and a file over the limit (413) with nothing stored', async () => {
    const a = await file();
    const before = await storedFiles();
    const html = await upload(s.w.enterprise.auth, a.id, sampleHtml(), 'invoice.pdf').expect(415);
    expect(html.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await upload(s.w.enterprise.auth, a.id, sampleZip(), 'evidence.zip').expect(415);
    const big = Buffer.concat([samplePdf(), Buffer.alloc(200_001)]);
    const over = await upload(s.w.enterprise.auth, a.id, big, 'big.pdf').expect(413);
    expect(over.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedFiles()).toEqual(before);
    expect(await staged()).toEqual([]);
    expect(
      (await s.api.get(`/appeals/${a.id}/attachments`, s.w.enterprise.auth).expect(200)).body.items,
    ).toEqual([]);
    // 50 MB an appeal (300 kB here): the second 160 kB file does not fit
    const part = (n: number) => Buffer.concat([samplePdf(), Buffer.alloc(160_000, n)]);
    await upload(s.w.enterprise.auth, a.id, part(1), 'a.pdf').expect(201);
    const full = await upload(s.w.enterprise.auth, a.id, part(2), 'b.pdf').expect(413);
    expect(full.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedFiles()).not.toContain(sha(part(2)));
    await s.t
      .http()
      .post(`/api/v1/appeals/${a.id}/attachments`)
      .set('Authorization', s.w.enterprise.auth)
      .field('purpose', 'selfie')
      .attach('file', samplePng(), 'x.png')
      .expect(400);
  });

  it('keeps files within the appeal scope and checks attachmentIds on replies, staged replies and supplements', async () => {
    const a = await dispatched();
    const other = await file();
    const mine = await upload(s.w.enterprise.auth, a.id, samplePng(), 'p.png').expect(201);
    const elsewhere = await upload(s.w.enterprise.auth, other.id, samplePdf(), 'q.pdf').expect(201);
    await s.api.get(`/appeals/${a.id}/attachments`, s.w.otherEnterprise.auth).expect(404);
    await download(s.w.otherEnterprise.auth, mine.body.id).expect(404);
    await download(s.w.otherHandler.auth, mine.body.id).expect(404);
    await upload(s.w.otherEnterprise.auth, a.id, samplePng(), 'x.png').expect(404);
    await upload(s.w.supervisor.auth, a.id, samplePng(), 'x.png').expect(403);
    // a department adds files while it holds the case
    await s.api.post(`/appeals/${a.id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    const reply = await upload(s.w.leadHandler.auth, a.id, sampleDocx(), '答复函.docx', 'reply').expect(201);
    await download(s.w.leadHandler.auth, mine.body.id).expect(200);
    // a staged reply names files of its appeal only, and its event carries their hashes
    await s.api
      .post(`/appeals/${a.id}/staged-replies`, s.w.leadHandler.auth, {
        content: '已约谈银行，正在复核',
        attachmentIds: [elsewhere.body.id],
      })
      .expect(400);
    await s.api
      .post(`/appeals/${a.id}/staged-replies`, s.w.leadHandler.auth, {
        content: '已约谈银行，正在复核',
        attachmentIds: [reply.body.id],
      })
      .expect(201);
    const staged = (
      await s.api.get(`/appeals/${a.id}/events`, s.w.dispatcher.auth).expect(200)
    ).body.items.find((e: { action: string }) => e.action === 'appeal.staged_replied');
    expect(staged.data.attachments).toEqual([
      { id: reply.body.id, sha256: sha(sampleDocx()), mediaType: reply.body.mediaType },
    ]);

    await s.api
      .post(`/appeals/${a.id}/supplements`, s.w.enterprise.auth, {
        content: '补充发票',
        attachmentIds: [elsewhere.body.id],
      })
      .expect(400);
    await s.api
      .post(`/appeals/${a.id}/supplements`, s.w.enterprise.auth, {
        content: '补充发票',
        attachmentIds: [mine.body.id],
      })
      .expect(200);
    const bad = await s.api
      .post(`/appeals/${a.id}/reply`, s.w.leadHandler.auth, {
        content: '已答复',
        outcome: 'resolved',
        attachmentIds: [reply.body.id, elsewhere.body.id],
      })
      .expect(400);
    expect(bad.body.details[0].field).toBe('attachmentIds');
    await s.api
      .post(`/appeals/${a.id}/reply`, s.w.leadHandler.auth, {
        content: '已答复',
        outcome: 'resolved',
        attachmentIds: [reply.body.id],
      })
      .expect(200);
    const timeline = (await s.api.get(`/appeals/${a.id}/events`, s.w.enterprise.auth).expect(200)).body.items;
    const replied = timeline.find((e: { action: string }) => e.action === 'appeal.replied');
    expect(replied.data.attachments).toEqual([
      { id: reply.body.id, sha256: sha(sampleDocx()), mediaType: reply.body.mediaType },
    ]);
  });

  it('a plan is fulfilled with evidence: attachmentIds checked against the appeal, hashes in the event', async () => {
    const a = await dispatched();
    const other = await file();
    const elsewhere = await upload(s.w.enterprise.auth, other.id, samplePdf(), 'q.pdf').expect(201);
    await s.api.post(`/appeals/${a.id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    const permit = await upload(s.w.leadHandler.auth, a.id, samplePdf(), '用地批复.pdf', 'reply').expect(201);
    const day = 24 * 3600_000;
    await s.api
      .post(`/appeals/${a.id}/reply`, s.w.leadHandler.auth, {
        content: '需办理用地手续，预计两个月内完成',
        outcome: 'planned',
        plan: {
          content: '协调自然资源局办理用地预审',
          promisedBy: new Date(Date.now() + 60 * day).toISOString(),
          nextFeedbackAt: new Date(Date.now() + 20 * day).toISOString(),
        },
      })
      .expect(200);
    const plan = (await s.api.get(`/appeals/${a.id}`, s.w.leadHandler.auth).expect(200)).body.plan;
    const bad = await s.api
      .post(`/plans/${plan.id}/fulfil`, s.w.leadHandler.auth, {
        content: '用地预审已办结',
        attachmentIds: [elsewhere.body.id],
      })
      .expect(400);
    expect(bad.body.details[0].field).toBe('attachmentIds');
    await s.api
      .post(`/plans/${plan.id}/fulfil`, s.w.leadHandler.auth, {
        content: '用地预审已办结',
        attachmentIds: [permit.body.id],
      })
      .expect(200);
    const fulfilled = (
      await s.api.get(`/appeals/${a.id}/events`, s.w.dispatcher.auth).expect(200)
    ).body.items.find((e: { action: string }) => e.action === 'plan.fulfilled');
    expect(fulfilled.data.attachments).toEqual([
      { id: permit.body.id, sha256: sha(samplePdf()), mediaType: 'application/pdf' },
    ]);
  });

  it('on a confidential appeal: images stored without EXIF/GPS, departments read only what the centre shared', async () => {
    const a = await dispatched({ type: 'report' });
    expect(a.confidential).toBe(true);
    const photo = sampleJpeg(true);
    const up = await upload(s.w.enterprise.auth, a.id, photo, 'IMG_0001.jpg').expect(201);
    const stripped = sampleJpeg(false);
    expect(up.body).toMatchObject({ sha256: sha(stripped), size: stripped.length, metadataStripped: true });
    const bytes = (await download(s.w.dispatcher.auth, up.body.id).expect(200)).body as Buffer;
    expect(Buffer.compare(bytes, stripped)).toBe(0);
    expect(bytes.includes(Buffer.from('GPSLatitude'))).toBe(false);
    const png = await upload(s.w.enterprise.auth, a.id, samplePng(true), 'map.png').expect(201);
    expect(png.body.sha256).toBe(sha(samplePng(false)));

    expect(
      (await s.api.get(`/appeals/${a.id}/attachments`, s.w.leadHandler.auth).expect(200)).body.items,
    ).toEqual([]);
    await download(s.w.leadHandler.auth, up.body.id).expect(404);
    await s.api.post(`/attachments/${up.body.id}/share`, s.w.leadHandler.auth).expect(403);
    const shared = await s.api.post(`/attachments/${up.body.id}/share`, s.w.dispatcher.auth).expect(200);
    expect(shared.body.shared).toBe(true);
    const seen = (await s.api.get(`/appeals/${a.id}/attachments`, s.w.leadHandler.auth).expect(200)).body
      .items;
    expect(seen.map((x: { id: string }) => x.id)).toEqual([up.body.id]);
    expect(seen[0].uploadedBy).toBeNull();
    await download(s.w.leadHandler.auth, up.body.id).expect(200);
    await download(s.w.leadHandler.auth, png.body.id).expect(404);
    // never a reveal on a confidential appeal
    await s.api.get(`/appeals/${a.id}/contact`, s.w.leadHandler.auth).expect(403);
  });

  it('masks the contact in every department answer and in webhooks without contactAccess', async () => {
    const plain = await s.api
      .post('/webhooks', s.w.admin.auth, {
        url: 'http://127.0.0.1:9/plain',
        events: ['*'],
        secret: 'whsec-plain-0123456789',
      })
      .expect(201);
    expect(plain.body.contactAccess).toBe(false);
    const trusted = await s.api
      .post('/webhooks', s.w.admin.auth, {
        url: 'http://127.0.0.1:9/trusted',
        events: ['*'],
        secret: 'whsec-trusted-0123456789',
        contactAccess: true,
      })
      .expect(201);
    const a = await dispatched();
    const { get } = s.api;
    const handler = s.w.leadHandler.auth;
    const view = (await get(`/appeals/${a.id}`, handler).expect(200)).body;
    expect(view).toMatchObject({ contactName: '张**', contactPhone: '138****5678' });
    const texts = [
      JSON.stringify(view),
      JSON.stringify((await get('/appeals?limit=100', handler).expect(200)).body),
      JSON.stringify((await get('/queue', handler).expect(200)).body),
      JSON.stringify((await get('/notifications', handler).expect(200)).body),
      JSON.stringify((await get(`/appeals/${a.id}/events`, handler).expect(200)).body),
      (
        await s.t
          .http()
          .get('/api/v1/reports/departments?format=csv')
          .set('Authorization', s.w.supervisor.auth)
      ).text,
    ];
    for (const text of texts) {
      expect(text).not.toContain(CONTACT.contactPhone);
      expect(text).not.toContain(CONTACT.contactName);
    }
    // the list, the queue and the new-assignment notice show whom to call, masked
    for (const i of [1, 2, 3]) expect(texts[i]).toContain('张** 138****5678'.split(' ')[1]);
    expect(texts[3]).toContain('联系人：张** 138****5678');
    // the centre sees it whole
    expect((await get(`/appeals/${a.id}`, s.w.dispatcher.auth).expect(200)).body.contactPhone).toBe(
      CONTACT.contactPhone,
    );

    const bodies = async (hook: string) =>
      (
        await s.t.db.query<{ body: string }[]>(
          `SELECT body FROM webhook_deliveries WHERE webhook_id = $1 AND appeal_id = $2`,
          [hook, a.id],
        )
      ).map((r) => JSON.parse(r.body).appeal);
    const masked = await bodies(plain.body.id);
    const whole = await bodies(trusted.body.id);
    // filing (written by the filing statement in SQL) and dispatch (written by the event log)
    expect(masked.length).toBe(2);
    for (const appeal of masked)
      expect(appeal).toMatchObject({ contactName: '张**', contactPhone: '138****5678' });
    for (const appeal of whole) expect(appeal).toMatchObject(CONTACT);
  });

  it('reveals the whole contact to the holding department and the centre, each reveal an event', async () => {
    const a = await dispatched();
    await s.api.get(`/appeals/${a.id}/contact`, s.w.otherHandler.auth).expect(404);
    await s.api.get(`/appeals/${a.id}/contact`, s.w.enterprise.auth).expect(403);
    const got = await s.api.get(`/appeals/${a.id}/contact`, s.w.leadHandler.auth).expect(200);
    expect(got.body).toMatchObject(CONTACT);
    await s.api.get(`/appeals/${a.id}/contact`, s.w.dispatcher.auth).expect(200);
    const events = (await s.api.get(`/appeals/${a.id}/events`, s.w.supervisor.auth).expect(200)).body.items;
    const reveals = events.filter((e: { action: string }) => e.action === 'contact.revealed');
    expect(reveals.map((e: { actorId: string }) => e.actorId)).toEqual([
      s.w.leadHandler.user.id,
      s.w.dispatcher.user.id,
    ]);
    expect(reveals[0].data.departmentId).toBe(s.w.lead.id);
    expect(JSON.stringify(reveals)).not.toContain(CONTACT.contactPhone);
  });

  it('anonymises contacts CONTACT_RETENTION_DAYS after close; the phone still finds the appeal and the chain verifies', async () => {
    const phone = '13700001111';
    const a = await file({ contactPhone: phone, contactName: '李四' });
    await s.api.post(`/appeals/${a.id}/resolve`, s.w.dispatcher.auth, { content: '已电话解答' }).expect(200);
    await s.api
      .post(`/appeals/${a.id}/survey`, s.w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    const contacts = s.t.app.get(ContactsService);
    clock.advance(179 * DAY);
    expect(await contacts.anonymiseDue()).toBe(0);
    const due = (await s.api.get('/retention', s.w.admin.auth).expect(200)).body;
    expect(due.retentionDays).toBe(180);
    await s.api.get('/retention', s.w.dispatcher.auth).expect(403);
    clock.advance(2 * DAY);
    expect((await s.api.get('/retention', s.w.admin.auth).expect(200)).body.due).toBeGreaterThanOrEqual(1);
    expect(await contacts.anonymiseDue()).toBeGreaterThanOrEqual(1);
    const after = (await s.api.get(`/appeals/${a.id}`, s.w.dispatcher.auth).expect(200)).body;
    expect(after).toMatchObject({ contactName: null, contactPhone: null, status: 'closed' });
    const [row] = await s.t.db.query(
      `SELECT contact_name, contact_phone, contact_phone_hash FROM appeals WHERE id = $1`,
      [a.id],
    );
    expect(row).toMatchObject({ contact_name: null, contact_phone: null });
    expect(row.contact_phone_hash).toMatch(/^[0-9a-f]{64}$/);
    const [leak] = await s.t.db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE body LIKE $1`,
      [`%${phone}%`],
    );
    expect(leak.n).toBe(0);
    // duplicates are still found by the phone: the centre's search finds the anonymised appeal
    const found = (await s.api.get(`/appeals?q=${phone}`, s.w.dispatcher.auth).expect(200)).body.items;
    expect(found.map((x: { id: string }) => x.id)).toContain(a.id);
    expect(
      (await s.api.get(`/appeals/${a.id}/events/verify`, s.w.dispatcher.auth).expect(200)).body.valid,
    ).toBe(true);
    const events = (await s.api.get(`/appeals/${a.id}/events`, s.w.dispatcher.auth).expect(200)).body.items;
    expect(events.at(-1).action).toBe('contact.anonymised');
    expect(JSON.stringify(events)).not.toContain(phone);
    const done = (await s.api.get('/retention', s.w.admin.auth).expect(200)).body;
    expect(done.done).toBeGreaterThanOrEqual(1);
    expect(done.recent.map((r: { appealId: string }) => r.appealId)).toContain(a.id);
    // a second run finds nothing more to do
    expect(await contacts.anonymiseDue()).toBe(0);
  });

  it('the maintenance sweep removes stored files no row names, once past the grace period', async () => {
    const svc = s.t.app.get(AttachmentsService);
    const before = await storedFiles();
    expect(await svc.sweepOrphans(new Date(Date.now() + 2 * 3600_000))).toBe(0);
    expect(await storedFiles()).toEqual(before);
  });
});

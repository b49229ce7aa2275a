import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { AttachmentStore } from '../../src/modules/attachments/attachment-store';
import { AttachmentsService } from '../../src/modules/attachments/attachments.service';
import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { sampleDocx, sampleHtml, sampleOfd, samplePdf, samplePng } from '../setup/sample-files';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The same attachment path against S3-compatible storage (S3_* set): the only S3 server that installs on
 * this machine is the `s3rver` npm package, an in-process fake of the S3 REST API, so this proves the
 * adapter speaks S3 through @aws-sdk/client-s3 — not that it was tried against AWS, MinIO or OSS.
 */
describe('evidence files in an S3-compatible bucket (e2e, s3rver)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zqt-s3-'));
  const env: Record<string, string> = {
    ATTACHMENTS_DIR: join(dir, 'staging-root'),
    ATTACHMENT_MAX_BYTES: '200000',
    S3_BUCKET: 'zqt-evidence',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    S3_PREFIX: 'files/',
  };
  let server: S3rver;
  // registered before the suite's own beforeAll, so the app starts with the fake's address
  beforeAll(async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(dir, 's3'),
      configureBuckets: [{ name: 'zqt-evidence', configs: [] }],
    });
    const address = await server.run();
    env.S3_ENDPOINT = `http://127.0.0.1:${address.port}`;
  });
  const s = appealSuite({ env });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (appealId: string, bytes: Buffer, name: string) =>
    s.t
      .http()
      .post(`/api/v1/appeals/${appealId}/attachments`)
      .set('Authorization', s.w.enterprise.auth)
      .field('purpose', 'evidence')
      .attach('file', bytes, name);
  const stored = async () => {
    const out: string[] = [];
    for await (const o of s.t.app.get(AttachmentStore).list()) out.push(o.sha256);
    return out.sort();
  };

  it('stores PNG, PDF, DOCX and OFD under their hash, serves them back, refuses the rest with nothing stored', async () => {
    expect(s.t.app.get(AttachmentStore).constructor.name).toBe('S3Store');
    const a = (await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201)).body;
    for (const [bytes, name, mediaType] of [
      [samplePng(), 'a.png', 'image/png'],
      [samplePdf(), 'b.pdf', 'application/pdf'],
      [sampleDocx(), 'c.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [sampleOfd(), 'd.ofd', 'application/ofd'],
    ] as [Buffer, string, string][]) {
      const res = await upload(a.id, bytes, name).expect(201);
      expect(res.body).toMatchObject({ mediaType, sha256: sha(bytes), size: bytes.length });
      const got = await s.t
        .http()
        .get(`/api/v1/attachments/${res.body.id}/content`)
        .set('Authorization', s.w.dispatcher.auth)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    }
    const before = await stored();
    expect(before).toEqual([samplePng(), samplePdf(), sampleDocx(), sampleOfd()].map(sha).sort());
    await upload(a.id, sampleHtml(), 'x.pdf').expect(415);
    await upload(a.id, Buffer.concat([samplePdf(), Buffer.alloc(200_001)]), 'big.pdf').expect(413);
    expect(await stored()).toEqual(before);
    expect(
      (await s.api.get(`/appeals/${a.id}/events/verify`, s.w.dispatcher.auth).expect(200)).body.valid,
    ).toBe(true);
  });

  it('the orphan sweep removes an object no row names, and only that one', async () => {
    const store = s.t.app.get(AttachmentStore);
    const before = await stored();
    const orphan = Buffer.from('%PDF-1.4 orphan');
    const path = join(dir, 'orphan.part');
    await import('node:fs/promises').then((fs) => fs.writeFile(path, orphan));
    await store.put(sha(orphan), path, orphan.length);
    expect(await stored()).toContain(sha(orphan));
    // within the grace period nothing goes; past it, only the orphan
    expect(await s.t.app.get(AttachmentsService).sweepOrphans(new Date())).toBe(0);
    expect(await s.t.app.get(AttachmentsService).sweepOrphans(new Date(Date.now() + 2 * 3600_000))).toBe(1);
    expect(await stored()).toEqual(before);
  });
});

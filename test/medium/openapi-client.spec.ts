import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import ts from 'typescript';
import { documentWithoutDatabase } from '../../scripts/openapi';

/** A class, as class-validator keys its metadata. */
type Target = abstract new (...args: never[]) => unknown;

type Schema = {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
};

/**
 * The document, built without a database as `npm run lint:api` builds it, is one clients can generate
 * from: openapi-typescript turns it into types and a small client written against them compiles; its
 * request schemas name exactly what validation accepts.
 */
describe('the OpenAPI document as a client sees it (medium)', () => {
  let doc: OpenAPIObject;
  let dir: string;

  beforeAll(async () => {
    doc = await documentWithoutDatabase();
    dir = mkdtempSync(join(tmpdir(), 'zqt-openapi-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has unique camelCase operationIds, summaries, x-roles and 4xx answers on every operation', () => {
    const ids = new Set<string>();
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item) as Record<string, unknown>[]) {
        const id = op.operationId as string;
        expect(id).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(id)).toBe(false);
        ids.add(id);
        expect(op.summary).toEqual(expect.stringMatching(/\(.+\)$/));
        expect(op['x-roles']).toEqual(expect.any(Array));
        expect(Object.keys(op.responses as object).some((s) => /^4\d\d$/.test(s) || s === '503')).toBe(true);
      }
    }
    // the roles a route allows are what its decorators say
    expect(doc.paths['/api/v1/appeals/{id}/dispatch'].post?.['x-roles' as never]).toEqual(['dispatcher']);
    expect(doc.paths['/api/v1/auth/login'].post?.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/v1/appeals/{id}/dispatch'].post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '413', '429', '503']),
    );
    expect(Object.keys(doc.paths['/api/v1/appeals'].post?.responses ?? {})).toContain('422');
  });

  it('documents every field validation accepts, with its type (no bare objects for numbers or strings)', () => {
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<Target, { propertyName: string }[]>;
    };
    const schemas = doc.components?.schemas as Record<string, Schema>;
    const problems: string[] = [];
    for (const [target] of storage.validationMetadatas) {
      const schema = schemas[target.name];
      if (!schema) continue;
      // the class's own and inherited validated properties
      const validated = new Set<string>();
      for (let t: Target | null = target; t && t !== Object; t = Object.getPrototypeOf(t) as Target | null) {
        for (const m of storage.validationMetadatas.get(t) ?? []) validated.add(m.propertyName);
      }
      const documented = new Map<string, Schema>();
      const collect = (s: Schema) => {
        for (const [k, v] of Object.entries(s.properties ?? {})) documented.set(k, v);
        for (const part of s.allOf ?? []) {
          collect(part.$ref ? schemas[part.$ref.split('/').pop() as string] : part);
        }
      };
      collect(schema);
      for (const property of validated) {
        const p = documented.get(property);
        if (!p) problems.push(`${target.name}.${property} is validated but not documented`);
        else if (p.type === 'object' && !p.properties && !p.$ref)
          problems.push(`${target.name}.${property} is documented as a bare object`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('generates a typed client with openapi-typescript that compiles against a small usage file', () => {
    const input = join(dir, 'openapi.json');
    const types = join(dir, 'api.d.ts');
    writeFileSync(input, JSON.stringify(doc));
    const bin = join(__dirname, '../../node_modules/openapi-typescript/bin/cli.js');
    // a default is what the server assumes when a field is absent: the caller may still leave it out
    execFileSync(process.execPath, [bin, input, '-o', types, '--default-non-nullable=false'], {
      stdio: 'pipe',
    });
    const usage = join(dir, 'usage.ts');
    writeFileSync(
      usage,
      `import type { paths, components } from './api';
type Filed = paths['/api/v1/appeals']['post']['responses'][201]['content']['application/json'];
type Dispatch = NonNullable<paths['/api/v1/appeals/{id}/dispatch']['post']['requestBody']>['content']['application/json'];
type Targets = NonNullable<paths['/api/v1/targets']['put']['requestBody']>['content']['application/json'];
type Err = components['schemas']['ErrorBody'];
const appeal: Filed = { id: 'x', number: 'ZQT1', type: 'help', categoryCode: 'c', title: 't', content: 'c', channel: 'web', urgency: 'normal', status: 'submitted', version: 1 };
const dispatch: Dispatch = { leadDepartmentId: 'd' };
const targets: Targets = { closureRate: 0.9, satisfactionRate: null };
const error: Err = { statusCode: 409, code: 'INVALID_TRANSITION', message: '该诉求已办结，不能再评价' };
export const used: [string, string, number | null | undefined, Err['code']] = [appeal.number, dispatch.leadDepartmentId, targets.closureRate, error.code];
`,
    );
    // a number where the document says number must compile; an object must not
    const wrong = join(dir, 'wrong.ts');
    writeFileSync(
      wrong,
      `import type { paths } from './api';
type Targets = NonNullable<paths['/api/v1/targets']['put']['requestBody']>['content']['application/json'];
export const t: Targets = { closureRate: { value: 0.9 } };
`,
    );
    const compile = (file: string) => {
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        skipLibCheck: false,
        types: [],
      });
      return ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(compile(usage)).toEqual([]);
    expect(compile(wrong).length).toBeGreaterThan(0);
  });
});

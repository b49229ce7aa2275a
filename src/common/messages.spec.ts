import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { Type } from 'class-transformer';
import * as cv from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { ERROR_STATUS, ErrorCode } from './domain-error';
import {
  ACTION_PHRASES,
  CODE_MESSAGES,
  forbiddenActionMessage,
  invalidTransitionMessage,
  languageOf,
  localize,
  ROLE_NAMES,
  STATUS_NAMES,
  toChinese,
} from './messages';
import { NotBlank } from './not-blank';
import { flatten } from '../infra/http/validation';
import {
  APPEAL_ACTIONS,
  APPEAL_STATUSES,
  type ActorRole,
  transition,
  TRANSITIONS,
} from '../modules/workflow/appeal-state-machine';

const SRC = join(__dirname, '..');

function sources(dir = SRC): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    if (!e.name.endsWith('.ts') || e.name.endsWith('.spec.ts')) return [];
    return [{ path: p.slice(SRC.length + 1), text: readFileSync(p, 'utf8') }];
  });
}

const LITERAL = String.raw`('(?:[^'\\]|\\.)*'|\x60(?:[^\x60\\]|\\.)*\x60|"(?:[^"\\]|\\.)*")`;

/** The text of a string literal as source; template literals keep their ${…} holes. */
const unquote = (lit: string) => lit.slice(1, -1).replace(/\\(.)/g, '$1');

/** Words any interpolated value might be: ids of the dictionaries, a number, a free word. */
const SAMPLES = [
  '7',
  'closed',
  'in_progress',
  'approved',
  'answered',
  'supervision',
  'handler',
  'web',
  'appeal',
  'web, app',
  'dispatcher or handler',
];

/** Does some filling of the template's ${…} holes have a Chinese rendering? */
function translatable(template: string): boolean {
  const parts = template.split(/\$\{[^}]*\}/);
  const holes = parts.length - 1;
  if (holes === 0) return toChinese(template) !== null;
  if (holes > 2) return toChinese(parts.join('7')) !== null;
  const fill = (values: string[]) => parts.reduce((acc, p, i) => acc + (i > 0 ? values[i - 1] : '') + p, '');
  for (const a of SAMPLES) {
    if (holes === 1 && toChinese(fill([a])) !== null) return true;
    if (holes === 2) for (const b of SAMPLES) if (toChinese(fill([a, b])) !== null) return true;
  }
  return false;
}

/** String constants exported in src (`export const X = '…'`): a message may interpolate one by name. */
const CONSTANTS = new Map<string, string>();

function matches(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) =>
    unquote(m[1]).replace(/\$\{(\w+)\}/g, (hole, name: string) => CONSTANTS.get(name) ?? hole),
  );
}

describe('message catalogue (SPEC §5.1 Language)', () => {
  const files = sources();
  for (const { text } of files) {
    for (const m of text.matchAll(/export const (\w+) = ('(?:[^'\\]|\\.)*');/g))
      CONSTANTS.set(m[1], unquote(m[2]));
  }

  it('every error code has a default message in both languages', () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      expect(CODE_MESSAGES[code].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(CODE_MESSAGES[code].en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('every DomainError constructed in src has a Chinese rendering', () => {
    const missing: string[] = [];
    const construct = new RegExp(
      String.raw`(?:new DomainError\(\s*'[A-Z_]+',\s*|DomainError\.(?:validation|conflict|forbidden)\(\s*)` +
        LITERAL,
      'g',
    );
    const notFound = new RegExp(String.raw`DomainError\.notFound\(\s*` + LITERAL, 'g');
    let count = 0;
    for (const { path, text } of files) {
      for (const m of matches(text, construct)) {
        count++;
        if (!translatable(m)) missing.push(`${path}: ${m}`);
      }
      for (const what of matches(text, notFound)) {
        count++;
        if (toChinese(`${what} not found`) === null) missing.push(`${path}: ${what} not found`);
      }
    }
    expect(count).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });

  it('every detail message and custom rule message written in src has a Chinese rendering', () => {
    const missing: string[] = [];
    const detail = new RegExp(String.raw`message:\s*` + LITERAL, 'g');
    for (const { path, text } of files) {
      // start-up configuration errors and the health check's dependency report are no error message
      if (path.startsWith('config') || path.startsWith('infra/observability')) continue;
      for (const m of matches(text, detail)) if (!translatable(m)) missing.push(`${path}: ${m}`);
    }
    expect(missing).toEqual([]);
  });

  it('messages that reach a DomainError through a variable have a Chinese rendering', () => {
    // the sources: supervision rules, webhook rules, duration parsing, the USCC check, assignment roles
    const returned = new RegExp(String.raw`return\s+` + LITERAL, 'g');
    const duration = new RegExp(String.raw`new DurationError\(\s*` + LITERAL, 'g');
    const forbidden = new RegExp(String.raw`forbidden:\s*` + LITERAL, 'g');
    const usccMap = /(?:length|alphabet|check):\s*('(?:[^'\\]|\\.)*')/g;
    const texts: string[] = [];
    const read = (p: string) => files.find((f) => f.path === p)!.text;
    const rules = read('modules/workflow/assessment-rules.ts');
    const problems = rules.slice(rules.indexOf('export function answerProblem'));
    texts.push(
      ...matches(problems.slice(0, problems.indexOf('\n}\n', problems.indexOf('closeProblem'))), returned),
    );
    texts.push(...matches(read('modules/webhooks/webhook-events.ts'), returned).map((m) => `url ${m}`));
    texts.push(...matches(read('modules/calendar/working-calendar.ts'), duration));
    texts.push(...matches(read('modules/enterprises/enterprises.dto.ts'), usccMap));
    for (const { text } of files) texts.push(...matches(text, forbidden));
    expect(texts.length).toBeGreaterThan(20);
    expect(texts.filter((t) => !translatable(t))).toEqual([]);
  });

  describe('the transition table', () => {
    it('every refused transition says in words what cannot be done in which status, in both languages', () => {
      for (const status of APPEAL_STATUSES) {
        for (const action of APPEAL_ACTIONS) {
          const en = invalidTransitionMessage(status, action);
          expect(toChinese(en)).toBe(invalidTransitionMessage(status, action, 'zh'));
          for (const id of [...APPEAL_ACTIONS.filter((a) => a.includes('_')), 'in_progress']) {
            expect(en).not.toContain(id);
          }
        }
      }
      const t = transition('in_progress', 'survey_close', 'enterprise');
      expect(t).toMatchObject({ ok: false, error: 'INVALID_TRANSITION' });
      expect(!t.ok && t.message).toBe('the appeal is being handled; it cannot be rated now');
      expect(!t.ok && toChinese(t.message)).toBe('该诉求正在办理中，不能评价');
      const closed = transition('closed', 'survey_close', 'enterprise');
      expect(!closed.ok && toChinese(closed.message)).toBe('该诉求已办结，不能评价');
    });

    it('every refused role says so in words, in both languages', () => {
      for (const action of APPEAL_ACTIONS) {
        for (const role of Object.keys(ROLE_NAMES) as ActorRole[]) {
          if (TRANSITIONS[action].roles.includes(role)) continue;
          const t = transition('submitted', action, role);
          expect(t.ok).toBe(false);
          const message = !t.ok ? t.message : '';
          expect(message).toBe(forbiddenActionMessage(role, action));
          expect(toChinese(message)).toBe(forbiddenActionMessage(role, action, 'zh'));
          expect(message).not.toContain(action.includes('_') ? action : '\0');
        }
      }
    });

    it('each status has its Chinese name and each action its verb phrases', () => {
      expect(Object.values(STATUS_NAMES).map((s) => s.name)).toEqual([
        '待受理',
        '待签收',
        '办理中',
        '已退回',
        '已答复待回访',
        '已办结',
        '不予受理',
        '已撤回',
        '已合并',
      ]);
      for (const a of APPEAL_ACTIONS) expect(ACTION_PHRASES[a].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(Object.keys(STATUS_NAMES)).toEqual([...APPEAL_STATUSES]);
      expect(Object.keys(ACTION_PHRASES)).toEqual([...APPEAL_ACTIONS]);
      for (const a of APPEAL_ACTIONS)
        for (const r of TRANSITIONS[a].roles) expect(ROLE_NAMES[r]).toBeDefined();
    });
  });

  describe('validation rules render in both languages with their field and arguments', () => {
    class Child {
      @cv.IsString()
      name: string;
    }
    class Sample {
      @cv.IsString() @cv.Length(2, 200) @NotBlank() title: string;
      @cv.IsOptional() @cv.IsInt() @cv.Min(1) @cv.Max(100) limit?: number;
      @cv.IsOptional() @cv.IsNumber() @cv.Min(0) @cv.Max(1) rate?: number;
      @cv.IsOptional() @cv.IsIn(['a', 'b']) kind?: string;
      @cv.IsOptional() @cv.IsUUID() ref?: string;
      @cv.IsOptional() @cv.IsBoolean() flag?: boolean;
      @cv.IsOptional() @cv.IsISO8601({ strict: true }) from?: string;
      @cv.IsOptional() @cv.Matches(/^\d+$/) digits?: string;
      @cv.IsOptional()
      @cv.IsArray()
      @cv.ArrayUnique()
      @cv.ArrayMaxSize(2)
      @cv.ArrayMinSize(1)
      list?: string[];
      @cv.IsOptional() @cv.IsUUID('all', { each: true }) ids?: string[];
      @cv.IsOptional() @cv.MaxLength(3) short?: string;
      @cv.IsOptional() @cv.MinLength(3) long?: string;
      @cv.IsOptional() @cv.IsObject() obj?: object;
      @cv.IsDefined() present: unknown;
      @cv.IsOptional() @cv.ValidateNested() @Type(() => Child) child?: Child;
    }

    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ title: undefined }, 'title', 'title is required', 'title 不能为空'],
      [{ title: '   ' }, 'title', 'title must not be blank', 'title 不能为空白'],
      [
        { title: 'a' },
        'title',
        'title must be longer than or equal to 2 characters',
        'title 至少需要 2 个字符',
      ],
      [{ title: 5 }, 'title', 'title must be a string', 'title 必须是字符串'],
      [
        { limit: 'abc' },
        'limit',
        'limit must be an integer from 1 to 100',
        'limit 必须是 1 到 100 之间的整数',
      ],
      [{ limit: 500 }, 'limit', 'limit must not be greater than 100', 'limit 不能大于 100'],
      [{ limit: 0 }, 'limit', 'limit must not be less than 1', 'limit 不能小于 1'],
      [{ rate: 'x' }, 'rate', 'rate must be a number from 0 to 1', 'rate 必须是 0 到 1 之间的数'],
      [
        { kind: 'c' },
        'kind',
        'kind must be one of the following values: a, b',
        'kind 必须是以下值之一：a, b',
      ],
      [{ ref: 'x' }, 'ref', 'ref must be a UUID', 'ref 必须是 UUID'],
      [{ flag: 'yes' }, 'flag', 'flag must be a boolean value', 'flag 必须是布尔值（true 或 false）'],
      [
        { from: 'soon' },
        'from',
        'from must be a valid ISO 8601 date string',
        'from 必须是 ISO 8601 格式的时间',
      ],
      [{ digits: 'x' }, 'digits', 'digits must match /^\\d+$/ regular expression', 'digits 格式不正确'],
      [{ list: 'x' }, 'list', 'list must be an array', 'list 必须是数组'],
      [{ list: ['a', 'a'] }, 'list', "All list's elements must be unique", 'list 中不能有重复项'],
      [{ list: ['a', 'b', 'c'] }, 'list', 'list must contain no more than 2 elements', 'list 最多 2 项'],
      [{ list: [] }, 'list', 'list must contain at least 1 elements', 'list 至少 1 项'],
      [{ ids: ['x'] }, 'ids', 'each value in ids must be a UUID', 'ids 中的每一项必须是 UUID'],
      [
        { short: 'abcd' },
        'short',
        'short must be shorter than or equal to 3 characters',
        'short 不能超过 3 个字符',
      ],
      [{ long: 'ab' }, 'long', 'long must be longer than or equal to 3 characters', 'long 至少需要 3 个字符'],
      [{ obj: 3 }, 'obj', 'obj must be an object', 'obj 必须是对象'],
      [{ present: null }, 'present', 'present should not be null or undefined', 'present 不能为空'],
      [{ extra: 1 }, 'extra', 'property extra should not exist', '不允许的字段 extra'],
      [
        { child: 'x' },
        'child',
        'nested property child must be either object or array',
        'child 必须是对象或数组',
      ],
      [{ child: { name: 3 } }, 'child.name', 'child.name must be a string', 'child.name 必须是字符串'],
    ];

    it.each(cases)('%j → %s', (input, field, en, zh) => {
      const base = { title: 'a title', present: true };
      const dto = plainToInstance(Sample, { ...base, ...input });
      const details = flatten(cv.validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
      const entries = details.filter((d) => d.field === field);
      expect(entries).toEqual([{ field, message: en }]);
      expect(toChinese(en)).toBe(zh);
    });

    it('one entry per failing field, in English and Chinese', () => {
      const dto = plainToInstance(Sample, { content: 'x', title: ' ', limit: 'abc', present: 1 });
      const details = flatten(cv.validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
      expect(details.map((d) => d.field).sort()).toEqual(['content', 'limit', 'title']);
      const zh = localize(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'validation failed', details },
        'zh',
      );
      expect(zh.message).toBe('提交的内容有误');
      for (const d of zh.details as { message: string }[]) expect(d.message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('every class-validator rule imported in src is covered above', () => {
      const covered = new Set([
        'IsString',
        'Length',
        'IsInt',
        'Min',
        'Max',
        'IsNumber',
        'IsIn',
        'IsUUID',
        'IsBoolean',
        'IsISO8601',
        'Matches',
        'IsArray',
        'ArrayUnique',
        'ArrayMaxSize',
        'ArrayMinSize',
        'MaxLength',
        'MinLength',
        'IsObject',
        'IsDefined',
        'IsOptional',
        'ValidateNested',
        'ValidateIf',
        // not rules: custom rules bring their own messages, checked by the scans above
        'Validate',
        'ValidateBy',
        'ValidationArguments',
        'ValidationOptions',
        'ValidatorConstraint',
        'ValidatorConstraintInterface',
        'validate',
        'validateSync',
        'registerDecorator',
        'getMetadataStorage',
      ]);
      const used = new Set<string>();
      for (const { text } of files) {
        for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'class-validator'/g)) {
          for (const name of m[1].split(',').map((x) => x.trim().replace(/^type /, '')))
            if (name) used.add(name);
        }
      }
      expect([...used].filter((u) => !covered.has(u))).toEqual([]);
    });
  });

  it('the Chinese falls back to the code’s own message, never to English', () => {
    const body = localize({ statusCode: 409, code: 'CONFLICT', message: 'something new and unknown' }, 'zh');
    expect(body.message).toBe(CODE_MESSAGES.CONFLICT.zh);
    const en = localize({ statusCode: 409, code: 'CONFLICT', message: 'something new and unknown' }, 'en');
    expect(en.message).toBe('something new and unknown');
  });

  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['fr-FR, en;q=0.5', 'en'],
    ['zh;q=0.4, en;q=0.6', 'en'],
    ['en;q=0, zh', 'zh'],
    ['*', 'zh'],
    ['de', 'zh'],
    ['EN', 'en'],
  ])('Accept-Language %j → %s', (header, lang) => {
    expect(languageOf(header)).toBe(lang);
  });
});

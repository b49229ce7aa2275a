import { pinyin } from 'pinyin-pro';

/**
 * Chinese search over the knowledge base (SPEC §10), pure: the words PostgreSQL indexes for an entry and
 * the queries a dispatcher's words become. Chinese is written without spaces and no Chinese text-search
 * parser (zhparser, pg_jieba) is packaged for this machine's PostgreSQL, so an entry is indexed by the
 * overlapping character pairs (bigrams) of its text — every two-character word it contains is among
 * them — and by the same pairs spelt in toneless pinyin, which is what lets a search typed with the
 * wrong character of the right sound (首代 for 首贷, the usual slip of a pinyin keyboard) still find it.
 * Latin words and numbers are indexed whole, in lower case.
 *
 * The lexemes go to a `tsvector` in four weight classes (ts_rank's A–D): A the Chinese words of the title
 * and keywords, B their pinyin, C the Chinese words of the question and answer, D their pinyin; a second
 * vector holds A and B alone. A query is first strict — every pair of the words typed in the entry, as
 * characters or as sounds — then named: the words of the query that titles have (chainsOf), all but one
 * of them in the title, then all but two …, each title scored by the rarity of the words it shares with
 * the query (termWeights); then loose, any pair anywhere, ranked by ts_rank with the weights below, so
 * an entry with the words in its title comes before one with them in its answer, and one with the right
 * characters before one with only the right sounds.
 */

/** ts_rank's weights, in its order {D, C, B, A}. */
export const RANK_WEIGHTS = '{0.05, 0.2, 0.3, 1.0}';

/** Words of a question that say nothing about which entry answers it (问句的虚词). */
export const QUERY_STOP_WORDS = new Set([
  '请问',
  '我们',
  '我司',
  '公司',
  '需要',
  '什么',
  '怎么',
  '怎样',
  '如何',
  '可以',
  '能否',
  '是否',
  '哪些',
  '哪里',
  '多少',
  '一下',
  '这个',
  '那个',
  '现在',
  '有没',
  '没有',
  '咨询',
  '问题',
  '了解',
  '情况',
  '相关',
  '的话',
  '时候',
  '还是',
]);

const HAN = /\p{Script=Han}/u;
/** Runs of Chinese characters, and Latin words or numbers. */
const TOKEN = /\p{Script=Han}+|[a-z0-9]+/gu;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The runs of one text: Chinese runs and Latin/number words, in order. */
export function runs(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? [];
}

/** The pinyin syllables of a Chinese run, toneless, read in context (多音字 by their word). */
function syllables(run: string): string[] {
  const out = pinyin(run, { toneType: 'none', type: 'array', v: true });
  // pinyin-pro answers one syllable per character; anything else (an unknown character) keeps the character
  return out.length === run.length ? out.map((s) => s.toLowerCase()) : [...run];
}

/** The Chinese words of a run: its overlapping pairs, or the character itself when alone. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** The same pairs in pinyin: `shou_dai` for 首贷 (an underscore never occurs in a Latin word). */
export function pinyinBigrams(run: string): string[] {
  const s = syllables(run);
  if (s.length === 1) return [`${s[0]}_`];
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(`${s[i]}_${s[i + 1]}`);
  return out;
}

/** One text's lexemes: its Chinese words (and Latin words) and their pinyin. */
function lexemesOf(texts: string[]): { words: Set<string>; sounds: Set<string> } {
  const words = new Set<string>();
  const sounds = new Set<string>();
  for (const text of texts)
    for (const run of runs(text)) {
      if (HAN.test(run)) {
        bigrams(run).forEach((b) => words.add(b));
        pinyinBigrams(run).forEach((b) => sounds.add(b));
      } else words.add(run);
    }
  return { words, sounds };
}

export interface EntryText {
  title: string;
  keywords: string[];
  question: string | null;
  answer: string;
}

/** The lexemes of an entry by weight class (A title+keywords, B their pinyin, C question+answer, D theirs). */
export interface EntryLexemes {
  a: string[];
  b: string[];
  c: string[];
  d: string[];
}

export function entryLexemes(e: EntryText): EntryLexemes {
  const head = lexemesOf([e.title, ...e.keywords]);
  const body = lexemesOf([e.question ?? '', e.answer]);
  // a lexeme in two classes would rank twice: each stays in its best class only
  const c = [...body.words].filter((w) => !head.words.has(w));
  const d = [...body.sounds].filter((s) => !head.sounds.has(s));
  return { a: [...head.words], b: [...head.sounds], c, d };
}

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The highest position a tsvector keeps (PostgreSQL clamps larger ones to it). */
const MAX_POSITION = 16383;

/**
 * The entry's tsvector as text, cast by PostgreSQL with `::tsvector`: each lexeme with one position and
 * its weight class (`'首贷':1A`). The positions only carry the weights — a lexeme without a position has
 * no weight, and ts_rank would count a title word like an answer word.
 */
export function vectorText(lex: EntryLexemes): string {
  return weighted([
    ['A', lex.a],
    ['B', lex.b],
    ['C', lex.c],
    ['D', lex.d],
  ]);
}

/**
 * The title and keywords alone (classes A and B), indexed on their own: whether a word is in some title
 * and which entries have it there are then index lookups, with no weight to recheck row by row.
 */
export function headVectorText(lex: EntryLexemes): string {
  return weighted([
    ['A', lex.a],
    ['B', lex.b],
  ]);
}

function weighted(classes: (readonly [string, string[]])[]): string {
  let position = 0;
  const parts: string[] = [];
  for (const [weight, lexemes] of classes)
    for (const l of lexemes) parts.push(`${quote(l)}:${Math.min(++position, MAX_POSITION)}${weight}`);
  return parts.join(' ');
}

/** One word of a query and the lexemes that match it: its characters or its sound. */
export type TermGroup = string[];

/** One word of a query: a Chinese pair and its sound, or a Latin word or number (no sound); `run` numbers
 * the run of text it came from, so that the pairs of one written word (新昌 昌县) can be read together. */
export interface QueryTerm {
  chars: string;
  sound: string | null;
  run: number;
}

export interface KnowledgeQuery {
  /** every group must match (tsquery text), or null when the words give nothing to look for */
  strict: string | null;
  /** any group (over the title-and-keywords vector) */
  loose: string | null;
  /** every lexeme of the query, for ranking */
  rank: string | null;
  /** each group alone (tsquery texts): the words of the query that some title has are ANDed */
  groups: string[];
  /** each group's word as written (its first lexeme), to look up how many titles have it */
  words: string[];
  /** the groups as terms, in the order typed */
  terms: QueryTerm[];
}

/** Particles and pronouns of a spoken question: a query is cut at them (的, 吗, 我 …). */
export const QUERY_STOP_CHARS = '的了吗呢吧啊呀么我你您想是问找哪';

/** A dispatcher's words with the stop words and particles cut out (spaces in their place). */
export function stripQuestion(q: string): string {
  let text = normalizeText(q);
  for (const w of QUERY_STOP_WORDS) text = text.split(w).join(' ');
  return [...text].map((c) => (QUERY_STOP_CHARS.includes(c) ? ' ' : c)).join('');
}

/**
 * The terms of a query: each Chinese pair with its pinyin pair, each Latin word or number, a lone
 * character with its sound. The stop words and particles of a question are cut out first, unless
 * nothing else remains.
 */
export function queryTerms(q: string): QueryTerm[] {
  const stripped = termsOf(stripQuestion(q));
  return stripped.length > 0 ? stripped : termsOf(q);
}

/** The groups of a query: each term's lexemes (its characters, then its sound). */
export function queryGroups(q: string): TermGroup[] {
  return queryTerms(q).map((t) => (t.sound ? [t.chars, t.sound] : [t.chars]));
}

function termsOf(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  runs(q).forEach((run, r) => {
    if (!HAN.test(run)) {
      if (!seen.has(run)) terms.push({ chars: run, sound: null, run: r });
      seen.add(run);
      return;
    }
    const sounds = pinyinBigrams(run);
    bigrams(run).forEach((w, i) => {
      if (!seen.has(w)) terms.push({ chars: w, sound: sounds[i], run: r });
      seen.add(w);
    });
  });
  return terms;
}

/** The tsquery texts of a dispatcher's words (strict, loose, for ranking). */
export function knowledgeQuery(q: string): KnowledgeQuery {
  const terms = queryTerms(q);
  const groups = terms.map((t) => (t.sound ? [t.chars, t.sound] : [t.chars]));
  if (groups.length === 0) return { strict: null, loose: null, rank: null, groups: [], words: [], terms };
  const alt = (g: TermGroup) => `(${g.map(quote).join(' | ')})`;
  return {
    strict: groups.map(alt).join(' & '),
    loose: groups.map(alt).join(' | '),
    rank: groups.map(alt).join(' | '),
    groups: groups.map(alt),
    words: groups.map((g) => g[0]),
    terms,
  };
}

/** Every k-combination of some items, in order. */
function combinations<T>(items: T[], k: number): T[][] {
  const out: T[][] = [];
  const pick = (start: number, chosen: T[]) => {
    if (chosen.length === k) {
      out.push(chosen);
      return;
    }
    for (let i = start; i <= items.length - (k - chosen.length); i++) pick(i + 1, [...chosen, items[i]]);
  };
  pick(0, []);
  return out;
}

/** How many published entries have each lexeme in their title or keywords, and how many there are. */
export interface TitleFrequencies {
  n: number;
  df: ReadonlyMap<string, number>;
}

/** A word of a query some title has, and how many titles have it. */
export interface Chain {
  /** its lexemes that tell titles apart, ANDed (tsquery text) */
  query: string;
  /** how many titles have its rarest lexeme: at most, how many have the word */
  df: number;
}

/** A lexeme found in more titles than this share tells little apart: ranked, never a condition alone. */
export const COMMON_SHARE = 0.25;

/** The lexeme of a term that titles have: its characters, else its sound (a typo), else none. */
function titleLexeme(t: QueryTerm, f: TitleFrequencies): { lexeme: string; df: number } | null {
  const df = f.df.get(t.chars) ?? 0;
  if (df > 0) return { lexeme: t.chars, df };
  const sound = t.sound ? (f.df.get(t.sound) ?? 0) : 0;
  return sound > 0 ? { lexeme: t.sound!, df: sound } : null;
}

/** A pair this many times rarer in titles than the pairs on both its sides joins two words (定申 of 认定申请). */
export const JUNCTION_RATIO = 4;

/** How the titles see each term of a query: the lexeme they have it by, and whether it joins two words. */
export function titleTerms(
  terms: QueryTerm[],
  f: TitleFrequencies,
): ({ lexeme: string; df: number; junction: boolean } | null)[] {
  const hits = terms.map((t) => titleLexeme(t, f));
  return hits.map((h, i) => {
    if (!h) return null;
    const before = i > 0 && terms[i - 1].run === terms[i].run ? hits[i - 1] : null;
    const after = i + 1 < terms.length && terms[i + 1].run === terms[i].run ? hits[i + 1] : null;
    const junction =
      !!before && !!after && h.df * JUNCTION_RATIO < Math.min(before.df, after.df) && terms[i].sound !== null;
    return { ...h, junction };
  });
}

/**
 * The words of a query that titles have, rarest first: consecutive terms of one run that titles have are
 * one word (新昌 昌县 of 在新昌县, whose 在新 no title has), its condition the AND of its lexemes found in
 * at most COMMON_SHARE of the titles (the rarest one when all are common). A pair across two words that no
 * title has (请开 in 申请开办) splits the run, and so does one that titles have only where the two words meet
 * (定申 of 认定申请: a junction, left out).
 */
export function chainsOf(terms: QueryTerm[], f: TitleFrequencies): Chain[] {
  const chains: { lexeme: string; df: number }[][] = [];
  let open = false;
  for (const [i, hit] of titleTerms(terms, f).entries()) {
    if (!hit || hit.junction) {
      open = false;
      continue;
    }
    if (open && terms[i - 1].run === terms[i].run) chains[chains.length - 1].push(hit);
    else chains.push([hit]);
    open = true;
  }
  return chains
    .map((c) => {
      const sorted = [...c].sort((a, b) => a.df - b.df);
      const telling = sorted.filter((l) => l.df <= COMMON_SHARE * f.n);
      const used = telling.length > 0 ? telling : sorted.slice(0, 1);
      return { query: used.map((l) => quote(l.lexeme)).join(' & '), df: sorted[0].df };
    })
    .sort((a, b) => a.df - b.df);
}

/**
 * The chains a title must have, `missing` of them left out: every (n − missing)-combination ANDed, one
 * tsquery text each. Each is an AND, which GIN answers by walking the rarest posting list and skipping
 * in the others; PostgreSQL ORs their bitmaps.
 */
export function relaxations(chains: Chain[], missing: number): string[] {
  return combinations(
    chains.map((c) => c.query),
    chains.length - missing,
  ).map((c) => c.join(' & '));
}

/**
 * The weight of each term in a title (inverse title frequency, ln(1 + n/df)); 0 for a term no title has
 * and for a junction.
 * A title's score is the weights of the terms it has (by their characters; by their sound alone, 0.3 of
 * it), over the weights of all: the share of what the query says that the title says.
 */
export function termWeights(terms: QueryTerm[], f: TitleFrequencies): number[] {
  return titleTerms(terms, f).map((hit) => (hit && !hit.junction ? Math.log(1 + f.n / hit.df) : 0));
}

/** A single lexeme as a tsquery text. */
export function lexemeQuery(lexeme: string): string {
  return quote(lexeme);
}

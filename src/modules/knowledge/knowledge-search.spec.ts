import {
  bigrams,
  chainsOf,
  entryLexemes,
  headVectorText,
  knowledgeQuery,
  pinyinBigrams,
  queryGroups,
  queryTerms,
  relaxations,
  runs,
  stripQuestion,
  termWeights,
  TitleFrequencies,
  titleTerms,
  vectorText,
} from './knowledge-search';

describe('knowledge search terms (SPEC §10), pure', () => {
  it('splits text into Chinese runs and Latin words, width and case folded', () => {
    expect(runs('首贷ＡＢＣ申请，2024年 Bank')).toEqual(['首贷', 'abc', '申请', '2024', '年', 'bank']);
  });

  it('a Chinese run becomes its overlapping pairs; a lone character stays', () => {
    expect(bigrams('稳岗返还')).toEqual(['稳岗', '岗返', '返还']);
    expect(bigrams('税')).toEqual(['税']);
  });

  it('pairs in toneless pinyin, polyphones read by their word', () => {
    expect(pinyinBigrams('首贷')).toEqual(['shou_dai']);
    expect(pinyinBigrams('重庆银行')).toEqual(['chong_qing', 'qing_yin', 'yin_hang']);
    expect(pinyinBigrams('税')).toEqual(['shui_']);
  });

  it('an entry: title and keywords in A (pinyin B), question and answer in C (pinyin D), each lexeme once', () => {
    const lex = entryLexemes({
      title: '首贷申请',
      keywords: ['首贷'],
      question: '首贷怎么办',
      answer: '向银行申请',
    });
    expect(lex.a.sort()).toEqual(['申请', '贷申', '首贷'].sort());
    expect(lex.b).toContain('shou_dai');
    expect(lex.c).not.toContain('首贷');
    expect(lex.c).toEqual(expect.arrayContaining(['怎么', '银行', '向银']));
    expect(lex.d).toContain('yin_hang');
    expect(lex.d).not.toContain('shou_dai');
  });

  it('the vector text gives each lexeme a position, which carries its weight class', () => {
    expect(vectorText({ a: ['首贷'], b: ['shou_dai'], c: ['银行', 'abc'], d: ['yin_hang'] })).toBe(
      "'首贷':1A 'shou_dai':2B '银行':3C 'abc':4C 'yin_hang':5D",
    );
  });

  it('a question is cut at its stop words and particles', () => {
    expect(stripQuestion('请问我们公司怎么申请首贷呢').trim().split(/\s+/)).toEqual(['申请首贷']);
    expect(queryGroups('请问我们公司怎么申请首贷呢').map((g) => g[0])).toEqual(['申请', '请首', '首贷']);
  });

  it('a query of stop words only is kept as typed', () => {
    expect(queryGroups('企业').map((g) => g[0])).toEqual(['企业']);
  });

  it('a two-character word matches its characters or its sound: a typo of the same sound still finds it', () => {
    const typo = knowledgeQuery('首代');
    const right = knowledgeQuery('首贷');
    expect(typo.strict).toBe("('首代' | 'shou_dai')");
    expect(right.strict).toBe("('首贷' | 'shou_dai')");
    // the sound is the same lexeme the entry 首贷 was indexed with
    expect(entryLexemes({ title: '首贷', keywords: [], question: null, answer: '' }).b).toEqual(['shou_dai']);
  });

  it('strict needs every pair, loose any pair; each group alone for the titled tier', () => {
    const q = knowledgeQuery('留抵退税');
    expect(q.strict).toBe("('留抵' | 'liu_di') & ('抵退' | 'di_tui') & ('退税' | 'tui_shui')");
    expect(q.loose).toBe("('留抵' | 'liu_di') | ('抵退' | 'di_tui') | ('退税' | 'tui_shui')");
    expect(q.rank).toBe(q.loose);
    expect(q.groups).toEqual(["('留抵' | 'liu_di')", "('抵退' | 'di_tui')", "('退税' | 'tui_shui')"]);
    expect(q.words).toEqual(['留抵', '抵退', '退税']);
  });

  it('the title-and-keywords vector holds classes A and B only', () => {
    expect(headVectorText({ a: ['首贷'], b: ['shou_dai'], c: ['银行'], d: ['yin_hang'] })).toBe(
      "'首贷':1A 'shou_dai':2B",
    );
  });

  it('quotes in a Latin word cannot break out of the lexeme; nothing to look for gives nulls', () => {
    expect(knowledgeQuery("it's")).toMatchObject({ strict: "('it') & ('s')", rank: "('it') | ('s')" });
    expect(knowledgeQuery('，。！')).toEqual({
      strict: null,
      loose: null,
      rank: null,
      groups: [],
      words: [],
      terms: [],
    });
  });

  /** Title frequencies as 100,000 bench titles have them (district 1/16, industry 1/10, topic 1/26 …). */
  const f: TitleFrequencies = {
    n: 100_000,
    df: new Map([
      ['新昌', 6252],
      ['昌县', 6252],
      ['个体', 10_000],
      ['体工', 10_000],
      ['工商', 10_000],
      ['商户', 10_000],
      ['2025', 33_331],
      ['年', 100_000],
      ['申请', 13_462],
      ['高新', 3846],
      ['新技', 3846],
      ['技术', 7692],
      ['术企', 3846],
      ['企业', 59_618],
      ['业认', 3846],
      ['认定', 3846],
      ['定申', 385],
      ['shou_dai', 3846],
      ['首贷', 3846],
    ]),
  };

  it('query terms keep the run they come from', () => {
    expect(queryTerms('新昌县 首贷')).toEqual([
      { chars: '新昌', sound: 'xin_chang', run: 0 },
      { chars: '昌县', sound: 'chang_xian', run: 0 },
      { chars: '首贷', sound: 'shou_dai', run: 1 },
    ]);
    expect(queryTerms('2025年')).toEqual([
      { chars: '2025', sound: null, run: 0 },
      { chars: '年', sound: 'nian_', run: 1 },
    ]);
  });

  it('titles see a term by its characters, else by its sound (a typo); a much rarer pair between two is a junction', () => {
    const seen = titleTerms(queryTerms('首代'), f);
    expect(seen).toEqual([{ lexeme: 'shou_dai', df: 3846, junction: false }]);
    // 认定申请: 定申 is in titles only where 认定 and 申请 meet
    const q = queryTerms('认定申请');
    expect(titleTerms(q, f).map((t) => t?.junction)).toEqual([false, true, false]);
    // 新昌县: two pairs of one word, equally rare, no junction
    expect(titleTerms(queryTerms('新昌县'), f).map((t) => t?.junction)).toEqual([false, false]);
  });

  it('chains: consecutive terms titles have are one word, split where no title has the pair or at a junction', () => {
    // 在新 (no title) splits 在新昌县; 请开 would too; 定申 is a junction
    const chains = chainsOf(queryTerms('在新昌县个体工商户，高新技术企业认定申请'), f);
    expect(chains).toEqual([
      { query: "'高新' & '新技' & '术企' & '业认' & '认定' & '技术'", df: 3846 },
      { query: "'新昌' & '昌县'", df: 6252 },
      { query: "'个体' & '体工' & '工商' & '商户'", df: 10_000 },
      { query: "'申请'", df: 13_462 },
    ]);
    // a lexeme in more than a quarter of the titles is left out of a chain's condition (企业 above), unless
    // it is all the chain has
    expect(chainsOf(queryTerms('2025年'), f)).toEqual([
      { query: "'2025'", df: 33_331 },
      { query: "'年'", df: 100_000 },
    ]);
    expect(chainsOf(queryTerms('留抵'), f)).toEqual([]);
  });

  it('relaxations: every combination of all chains but `missing` of them, ANDed', () => {
    const chains = ['a', 'b', 'c'].map((query, i) => ({ query, df: i }));
    expect(relaxations(chains, 0)).toEqual(['a & b & c']);
    expect(relaxations(chains, 1)).toEqual(['a & b', 'a & c', 'b & c']);
    expect(relaxations(chains, 2)).toEqual(['a', 'b', 'c']);
  });

  it('a term weighs ln(1 + n/df) in titles: a district more than a year; nothing when no title has it or at a junction', () => {
    const w = termWeights(queryTerms('新昌县 2025 年 认定申请被退回'), f);
    expect(w[0]).toBeCloseTo(Math.log(1 + 100_000 / 6252));
    expect(w[0]).toBeGreaterThan(w[2]); // 新昌 > 2025
    expect(w[3]).toBeCloseTo(Math.log(2)); // 年, in every title
    const junction = queryTerms('新昌县 2025 年 认定申请被退回').findIndex((t) => t.chars === '定申');
    expect(w[junction]).toBe(0);
    expect(w[w.length - 1]).toBe(0); // 退回: in no title
  });
});

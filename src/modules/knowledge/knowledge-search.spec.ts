import {
  bigrams,
  entryLexemes,
  headVectorText,
  knowledgeQuery,
  pinyinBigrams,
  quorum,
  queryGroups,
  runs,
  stripQuestion,
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

  it('a quorum of k groups is the OR of every k-combination', () => {
    expect(quorum(['a', 'b', 'c'], 2)).toBe('(a & b) | (a & c) | (b & c)');
    expect(quorum(['a', 'b', 'c', 'd'], 3)).toBe('(a & b & c) | (a & b & d) | (a & c & d) | (b & c & d)');
    expect(quorum(['a', 'b'], 1)).toBe('(a) | (b)');
  });
});

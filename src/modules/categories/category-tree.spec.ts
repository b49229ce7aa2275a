import { buildTree } from './category-tree';

const row = (code: string, parentCode: string | null) => ({ code, parentCode, name: code });

describe('category tree', () => {
  const rows = [
    row('TAX.REFUND', 'TAX'),
    row('FIN', null),
    row('TAX', null),
    row('FIN.LOAN', 'FIN'),
    row('FIN.LOAN.SME', 'FIN.LOAN'),
    row('FIN.GUARANTEE', 'FIN'),
  ];

  it('nests children under their parents, roots and siblings in code order', () => {
    const codes = (nodes: ReturnType<typeof buildTree>): unknown =>
      nodes.map((n) => [n.code, codes(n.children as ReturnType<typeof buildTree>)]);
    expect(codes(buildTree(rows))).toEqual([
      [
        'FIN',
        [
          ['FIN.GUARANTEE', []],
          ['FIN.LOAN', [['FIN.LOAN.SME', []]]],
        ],
      ],
      ['TAX', [['TAX.REFUND', []]]],
    ]);
  });

  it('under a parent code: the tree starts at its children', () => {
    expect(buildTree(rows, 'FIN').map((n) => [n.code, n.children.map((c) => c.code)])).toEqual([
      ['FIN.GUARANTEE', []],
      ['FIN.LOAN', ['FIN.LOAN.SME']],
    ]);
  });

  it('keeps every field of a row and answers [] for no rows', () => {
    expect(buildTree(rows)[0]).toMatchObject({ code: 'FIN', name: 'FIN', parentCode: null });
    expect(buildTree([])).toEqual([]);
  });
});

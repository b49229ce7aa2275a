import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toReferencePage } from '../../common/pagination';
import { District } from './district.entity';
import { CreateDistrictDto, DistrictView, ListDistrictsQuery } from './districts.dto';
import { divisionCodeProblem, looksLikeDivisionCode, normalizeDistrictInput } from './gbt2260';

const CODE_PROBLEM = {
  format: 'must be six digits',
  province: 'does not begin with a province-level code of GB/T 2260',
  level: 'names a county under no city (its city digits are 00)',
} as const;

/**
 * Districts as reference data (SPEC §5.1): the list, new districts, and the one place where a
 * `district` someone typed — a code or an exact name — becomes the code that is stored.
 *
 * Resolving reads a copy of the table kept in this process: districts are never renamed or removed
 * through the API, so a code or name found once stays right; a value not found reloads the copy first,
 * so a district another process just added is found at once. Inside a transaction a miss is looked up
 * through the transaction and kept out of the copy.
 */
@Injectable()
export class DistrictsService {
  private byCode = new Map<string, string>();
  private byName = new Map<string, string>();
  private loading: Promise<void> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(query: ListDistrictsQuery): Promise<Page<DistrictView>> {
    const after = decodeCursor(query.cursor, ['code']);
    const qb = this.db.getRepository(District).createQueryBuilder('d').orderBy('d.code', 'ASC');
    if (after) qb.andWhere('d.code > :code', { code: after.code });
    if (query.limit !== undefined) qb.take(query.limit + 1);
    const rows = (await qb.getMany()).map(toDistrictView);
    return toReferencePage(rows, query.limit, (d) => ({ code: d.code }));
  }

  async create(dto: CreateDistrictDto): Promise<DistrictView> {
    const code = normalizeDistrictInput(dto.code);
    const name = dto.name.trim();
    const problem = divisionCodeProblem(code);
    if (problem)
      throw DomainError.validation(`code is not a GB/T 2260 code: it ${CODE_PROBLEM[problem]}`, [
        { field: 'code', message: CODE_PROBLEM[problem] },
      ]);
    // ON CONFLICT DO NOTHING: two admins adding the same district at once get one row and one 409
    const inserted: { code: string }[] = await this.db.query(
      `INSERT INTO districts (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING code`,
      [code, name],
    );
    if (inserted.length === 0) {
      const [taken]: { code: string; name: string }[] = await this.db.query(
        `SELECT code, name FROM districts WHERE code = $1 OR name = $2 ORDER BY code = $1 DESC LIMIT 1`,
        [code, name],
      );
      const field = taken?.code === code ? 'code' : 'name';
      throw DomainError.conflict(
        field === 'code' ? `district code ${code} is taken` : `a district is already named ${name}`,
        { field, district: taken ? toDistrictView(taken) : null },
      );
    }
    this.remember(code, name);
    return { code, name };
  }

  /**
   * The code of a district given by its code or its exact name (full-width digits and surrounding spaces
   * forgiven); 400 VALIDATION_FAILED with a details entry on `field` when there is none.
   * Inside a transaction pass its manager.
   */
  async resolve(value: string, field = 'district', m?: EntityManager): Promise<string> {
    const typed = normalizeDistrictInput(value);
    let found = this.lookup(typed);
    if (found === undefined) {
      if (inTransaction(m)) {
        // what the transaction sees, left out of the shared copy (it may yet roll back)
        const [row] = await m.query<{ code: string | null }[]>(`SELECT district_code($1) AS code`, [typed]);
        found = row?.code ?? undefined;
      } else {
        await this.reload();
        found = this.lookup(typed);
      }
    }
    if (found === undefined)
      throw DomainError.validation(`${field} names no district: ${typed || '(blank)'}`, [
        { field, message: 'no district has this code or name' },
      ]);
    return found;
  }

  /** resolve() for an optional field: absent or null stays null. */
  async resolveOptional(value: string | null | undefined, field = 'district', m?: EntityManager) {
    return value === undefined || value === null ? null : this.resolve(value, field, m);
  }

  /** The names of these districts by code; a stored value that names no district has none. */
  async names(codes: (string | null)[], m?: EntityManager): Promise<Map<string, string>> {
    const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const c of wanted) {
      const name = this.byCode.get(c);
      if (name !== undefined) out.set(c, name);
      // only a code can be a district added since the copy was read; anything else is not a district
      else if (looksLikeDivisionCode(c)) missing.push(c);
    }
    if (missing.length === 0) return out;
    if (inTransaction(m)) {
      const rows = await m.query<{ code: string; name: string }[]>(
        `SELECT code, name FROM districts WHERE code = ANY($1)`,
        [missing],
      );
      for (const r of rows) out.set(r.code, r.name);
      return out;
    }
    await this.reload();
    for (const c of missing) {
      const name = this.byCode.get(c);
      if (name !== undefined) out.set(c, name);
    }
    return out;
  }

  async nameOf(code: string | null, m?: EntityManager): Promise<string | null> {
    if (code === null) return null;
    return (await this.names([code], m)).get(code) ?? null;
  }

  private lookup(typed: string): string | undefined {
    return this.byCode.has(typed) ? typed : this.byName.get(typed);
  }

  private remember(code: string, name: string): void {
    this.byCode.set(code, name);
    this.byName.set(name, code);
  }

  /** Reads the table again into the shared copy, through the pool: committed rows only. */
  private reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows: { code: string; name: string }[] = await this.db.query(
          `SELECT code, name FROM districts`,
        );
        const byCode = new Map<string, string>();
        const byName = new Map<string, string>();
        for (const r of rows) {
          byCode.set(r.code, r.name);
          byName.set(r.name, r.code);
        }
        this.byCode = byCode;
        this.byName = byName;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}

function inTransaction(m: EntityManager | undefined): m is EntityManager {
  return m?.queryRunner?.isTransactionActive === true;
}

export function toDistrictView(d: { code: string; name: string }): DistrictView {
  return { code: d.code, name: d.name };
}

import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage>;
const REMEMBERING = Symbol.for('zhengqitong.validation-metadata.remembering');

/**
 * class-validator finds a class's rules anew on every validate() call: getTargetValidationMetadatas tests
 * the class against every class that has rules (an `instanceof` each, for inherited rules), then groups
 * them by property. So each validated request costs more the more DTOs the application defines. The rules
 * of a class do not change once its module has loaded: this makes the one storage class-validator uses
 * remember each answer (per class, schema and group options) and its grouping, and forget everything
 * whenever a rule or constraint is registered later (a class defined after the first validation, a schema).
 * The answers are the library's own; callers only read them. Idempotent.
 */
export function rememberValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const s = storage as Storage & { [REMEMBERING]?: true };
  if (s[REMEMBERING]) return;
  s[REMEMBERING] = true;

  let answers = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = () => {
    answers = new Map();
    groupings = new WeakMap();
  };

  const find = s.getTargetValidationMetadatas.bind(s);
  s.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    let byOptions = answers.get(target);
    if (!byOptions) answers.set(target, (byOptions = new Map()));
    const key = JSON.stringify([schema ?? null, always, strictGroups, groups ?? null]);
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = find(target, schema, always, strictGroups, groups)));
    return found;
  };

  const group = s.groupByPropertyName.bind(s);
  s.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (!grouped) groupings.set(metadata, (grouped = group(metadata)));
    return grouped;
  };

  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = (s[method] as (arg: unknown) => void).bind(s);
    (s as unknown as Record<string, (arg: unknown) => void>)[method] = (arg) => {
      forget();
      add(arg);
    };
  }
}

import { ArgumentMetadata, Injectable, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { rememberValidationMetadata } from './validation-metadata';

/**
 * The order in which a field's rules are read when several fail: what the value is before what range it
 * falls in, so `?limit=abc` is told it is not an integer rather than that it is greater than 100.
 */
const RULE_ORDER = [
  'whitelistValidation',
  'isDefined',
  'isNotBlank',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isObject',
  'nestedValidation',
  'isIn',
  'isEnum',
  'isUuid',
  'isIso8601',
  'matches',
  'isLength',
  'minLength',
  'maxLength',
  'min',
  'max',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayUnique',
];

const rank = (rule: string) => {
  const i = RULE_ORDER.indexOf(rule);
  return i < 0 ? RULE_ORDER.length : i;
};

const bound = (message: string | undefined, re: RegExp) => (message ? re.exec(message)?.[1] : undefined);

/**
 * The one message of a field (SPEC §5.1: the first rule it breaks). A missing value is "required"; a value
 * of the wrong number kind is told its whole range at once (`limit must be an integer from 1 to 100`).
 * Every message written here has its Chinese in src/common/messages.ts.
 */
export function fieldMessage(field: string, value: unknown, constraints: Record<string, string>): string {
  const rules = Object.keys(constraints).sort((a, b) => rank(a) - rank(b));
  const first = rules[0];
  if (first === 'whitelistValidation' || first === 'isDefined') return constraints[first];
  if (value === undefined || value === null) return `${field} is required`;
  if (first === 'isInt' || first === 'isNumber') {
    const kind = first === 'isInt' ? 'an integer' : 'a number';
    const min = bound(constraints.min, / must not be less than (.+)$/);
    const max = bound(constraints.max, / must not be greater than (.+)$/);
    if (min !== undefined && max !== undefined) return `${field} must be ${kind} from ${min} to ${max}`;
    if (min !== undefined) return `${field} must be ${kind} not less than ${min}`;
    if (max !== undefined) return `${field} must be ${kind} not greater than ${max}`;
  }
  return constraints[first];
}

/** class-validator names the property alone; a nested field is named by its whole dotted path. */
function named(message: string, property: string, field: string): string {
  if (property === field) return message;
  const at = new RegExp(`^(each value in |property |nested property |All )?${property}(?=[ '])`);
  return message.replace(at, (_all, prefix: string | undefined) => `${prefix ?? ''}${field}`);
}

/** class-validator's errors as SPEC §5 details: one {field, message} per failing field, nested fields dotted. */
export function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const constraints = e.constraints ?? {};
    const own = Object.keys(constraints).length
      ? [{ field, message: named(fieldMessage(field, e.value, constraints), e.property, field) }]
      : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelist, reject unknown fields, transform (SPEC §5: unknown fields are rejected). */
export function validationPipe(): ValidationPipe {
  rememberValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => DomainError.validation('validation failed', flatten(errors)),
  });
}

/**
 * A UUID path parameter: a malformed one is 400 VALIDATION_FAILED naming the parameter
 * (`details: [{field: 'id', message: 'id must be a UUID'}]`), like any other field.
 */
@Injectable()
export class ParseIdPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    try {
      return await super.transform(value, metadata);
    } catch {
      const field = metadata.data ?? 'id';
      throw DomainError.validation('validation failed', [{ field, message: `${field} must be a UUID` }]);
    }
  }
}

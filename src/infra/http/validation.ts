import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';

/** class-validator's errors as SPEC §5 details: one {field, message} per failed constraint, nested fields dotted. */
export function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelist, reject unknown fields, transform (SPEC §5: unknown fields are rejected). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => DomainError.validation('validation failed', flatten(errors)),
  });
}

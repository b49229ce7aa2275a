import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * SPEC §5.1 "Text must say something": a title, content, reason, note, answer or comment holds text after
 * trimming. Only strings are judged (IsString reports the rest); with IsOptional an absent value passes.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0,
        defaultMessage: (args) => `${args?.property ?? 'the text'} must not be blank`,
      },
    },
    options,
  );
}

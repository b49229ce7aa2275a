import {
  getMetadataStorage,
  IsInt,
  IsString,
  Length,
  registerDecorator,
  validateSync,
} from 'class-validator';
import { rememberValidationMetadata } from './validation-metadata';

const failing = (o: object) =>
  validateSync(o, { whitelist: true, forbidNonWhitelisted: true }).map((e) => [
    e.property,
    Object.keys(e.constraints ?? {}).sort(),
  ]);

describe('rememberValidationMetadata: class-validator answers once per class', () => {
  class Base {
    @IsString()
    @Length(2, 5)
    title: unknown;
  }

  beforeAll(() => rememberValidationMetadata());

  it("validates as before, and finds a class's rules once", () => {
    const storage = getMetadataStorage();
    expect(failing(Object.assign(new Base(), { title: 'x' }))).toEqual([['title', ['isLength']]]);
    expect(failing(Object.assign(new Base(), { title: 'ok', extra: 1 }))).toEqual([
      ['extra', ['whitelistValidation']],
    ]);
    expect(failing(Object.assign(new Base(), { title: 'fine' }))).toEqual([]);
    const first = storage.getTargetValidationMetadatas(Base, '', false, false);
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toBe(first);
    expect(first.map((m) => m.propertyName)).toEqual(['title', 'title']);
    // other options are another answer
    expect(storage.getTargetValidationMetadatas(Base, '', false, false, ['g'])).not.toBe(first);
  });

  it('sees a class defined after the first validation, with the rules it inherits', () => {
    // its own rules first, then those it inherits, as class-validator orders them
    class Later extends Base {
      @IsInt()
      count: unknown;
    }
    expect(failing(Object.assign(new Later(), { title: 'x', count: 'n' }))).toEqual([
      ['count', ['isInt']],
      ['title', ['isLength']],
    ]);
  });

  it('forgets its answers when a rule is added to a class it already answered for', () => {
    expect(failing(Object.assign(new Base(), { title: 'abc' }))).toEqual([]);
    registerDecorator({
      name: 'notAbc',
      target: Base,
      propertyName: 'title',
      validator: { validate: (v: unknown) => v !== 'abc' },
    });
    expect(failing(Object.assign(new Base(), { title: 'abc' }))).toEqual([['title', ['notAbc']]]);
  });

  it('is installed once however often it is called', () => {
    const storage = getMetadataStorage();
    const find = storage.getTargetValidationMetadatas;
    rememberValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(find);
  });
});

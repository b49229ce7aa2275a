import { dropDatabase, TEMPLATE_ENV } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) await dropDatabase(template);
}

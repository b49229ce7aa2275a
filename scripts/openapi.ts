/**
 * Writes the OpenAPI document without a database or Redis: the app is created in Nest's preview mode
 * (modules scanned, nothing instantiated, nothing connected), its routes prefixed as configureApp does,
 * and the document built by src/infra/http/openapi.ts — the same function /api/docs-json serves.
 *   ts-node --transpile-only scripts/openapi.ts [out.json]   (default .openapi.json)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { setRoutePrefix } from '../src/infra/http/configure-app';
import { buildOpenApiDocument } from '../src/infra/http/openapi';
import type { OpenAPIObject } from '@nestjs/swagger';

/** The document, from the app module alone (no connections are opened). */
export async function documentWithoutDatabase(): Promise<OpenAPIObject> {
  const config = loadConfig({
    JWT_SECRET: 'only-building-the-api-document',
    LOG_LEVEL: 'silent',
    // never reached in preview mode
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  const app = await NestFactory.create(AppModule.forRoot({ config }), {
    preview: true,
    logger: false,
    bodyParser: false,
  });
  try {
    setRoutePrefix(app);
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const out = resolve(process.argv[2] ?? '.openapi.json');
  documentWithoutDatabase()
    .then((doc) => {
      writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
      console.log(`OpenAPI document: ${out} (${Object.keys(doc.paths).length} paths)`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}

import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config';
import {
  loadStaticFolder,
  projectRoot,
  sameOriginPolicy,
  serveAssets,
  settings,
  withCommonAssets,
} from './dashboard';

/** Where the desks of the people who answer the line are served: the centre, departments, enterprises. */
export const WORKBENCH_PATH = '/workbench';

/**
 * The workbench's policy: stricter than the dashboard's — no inline style either (it draws no charts),
 * every script, style sheet, image, font and request from this origin only, nothing framed. Attachments
 * are opened as blobs the page fetched with its token.
 */
export const WORKBENCH_CSP = sameOriginPolicy({ inlineStyles: false });

/** The workbench's files (workbench/, plain HTML and ES modules, and the shared ones), read once at start. */
export function loadWorkbenchAssets(root = projectRoot()) {
  return withCommonAssets(loadStaticFolder(join(root, 'workbench')), root);
}

/** Mounts the workbench at /workbench: GET and HEAD of its own files, under its own CSP. */
export function serveWorkbench(app: NestExpressApplication, config: AppConfig): void {
  const assets = loadWorkbenchAssets();
  assets.set('/settings.json', settings(config));
  serveAssets(app, WORKBENCH_PATH, assets, WORKBENCH_CSP);
}

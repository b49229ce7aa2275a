import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config';
import { labelsModule } from '../../modules/reports/metric-labels';

/** Where the supervisors' dashboard is served. */
export const DASHBOARD_PATH = '/dashboard';

/**
 * The dashboard's own policy (the API runs without one): every script, style sheet, image and request
 * from this origin only, no inline script, nothing framed. Inline *styles* are allowed because ECharts
 * writes its tooltips as HTML with style attributes; scripts stay strict.
 */
export const DASHBOARD_CSP = sameOriginPolicy({ inlineStyles: true });

/**
 * The policy of a page the service serves: every script, style sheet, image, font and request from this
 * origin only (images also as data: and blob: URLs), no plugins, no <base>, forms posted here only,
 * nothing framing it; inline styles only when asked for.
 */
export function sameOriginPolicy(opts: { inlineStyles: boolean }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    opts.inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The project root: the nearest folder above this file with a package.json (src/… under ts-node, dist/src/… built). */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dashboard'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no dashboard/ folder above ${from}`);
  }
}

function asset(body: Buffer, file: string): Asset {
  return {
    body,
    type: TYPES[extname(file)] ?? 'application/octet-stream',
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
  };
}

/**
 * The reports' labels (src/modules/reports/metric-labels.ts) as an ES module, written from the table
 * at start: the page names every figure as the CSV headers do, from the same source.
 */
export const LABELS_MODULE = '/js/metric-labels.js';

/**
 * Every file the dashboard consists of, read once at start: the pages and modules under dashboard/
 * ECharts from its npm package (served from this origin: the dashboard must work on an intranet
 * with no internet) and the labels module. A fixed map, so no request path ever reaches the file system.
 */
export function loadDashboardAssets(root = projectRoot()): Map<string, Asset> {
  const assets = loadStaticFolder(join(root, 'dashboard'));
  assets.set(LABELS_MODULE, asset(Buffer.from(labelsModule()), LABELS_MODULE));
  const echarts = require.resolve('echarts/dist/echarts.min.js');
  assets.set('/vendor/echarts.min.js', asset(readFileSync(echarts), echarts));
  return assets;
}

/**
 * Every file of a folder of pages (HTML, modules, styles, icons), read once, keyed by its path under
 * the folder; its index.html is also `/`. A fixed map: no request path ever reaches the file system.
 */
export function loadStaticFolder(base: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) visit(file);
      else if (TYPES[extname(name)]) {
        const url = relative(base, file).split(sep).join('/');
        assets.set(`/${url}`, asset(readFileSync(file), file));
      }
    }
  };
  visit(base);
  const index = assets.get('/index.html');
  if (!index) throw new Error(`${base}/index.html is missing`);
  assets.set('/', index);
  return assets;
}

/** The service's settings the page needs before sign-in. */
export function settings(config: AppConfig): Asset {
  const body = Buffer.from(JSON.stringify({ timeZone: config.calendarTimeZone }));
  return asset(body, 'settings.json');
}

/** Mounts the dashboard at /dashboard: GET and HEAD of its own files, under its own CSP. */
export function serveDashboard(app: NestExpressApplication, config: AppConfig): void {
  const assets = loadDashboardAssets();
  assets.set('/settings.json', settings(config));
  serveAssets(app, DASHBOARD_PATH, assets, DASHBOARD_CSP);
}

/** GET and HEAD of a fixed map of files under `path`, each with the policy; anything else is 404. */
export function serveAssets(
  app: NestExpressApplication,
  path: string,
  assets: Map<string, Asset>,
  csp: string,
): void {
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const found = assets.get(req.path === '' ? '/' : req.path);
    res.setHeader('Content-Security-Policy', csp);
    if (!found) {
      res.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    res.setHeader('Content-Type', found.type);
    res.setHeader('ETag', found.etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === found.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).send(found.body);
  });
}

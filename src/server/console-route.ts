import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Role } from '../auth/role';

export const CONSOLE_PATH = '/console';

/** Where `npm run build:console` writes the console (dist/console, beside dist/src). */
const CONSOLE_DIR = path.resolve(__dirname, '../../console');

export interface ConsoleOptions {
  /**
   * Tokens the console offers on its sign-in page: only for a demo whose secret was generated
   * for this run (they are printed at start-up anyway); never with a configured secret.
   */
  readonly demoTokens?: Readonly<Record<Role, string>>;
}

/** Serves the operator console (a single-page app over the public GraphQL API) at /console. */
export function mountConsole(app: Express, options: ConsoleOptions): void {
  const index = path.join(CONSOLE_DIR, 'index.html');
  app.get(`${CONSOLE_PATH}/demo-tokens.json`, (_req, res) => {
    if (options.demoTokens) res.json(options.demoTokens);
    else res.status(404).json({ error: 'No demo tokens: this gateway has a configured AUTH_JWT_SECRET' });
  });
  app.use(CONSOLE_PATH, express.static(CONSOLE_DIR, { index: false, fallthrough: true, immutable: true, maxAge: '1y' }));
  // Every other path under /console is a page of the app (its own routing is in the URL's hash).
  app.get([CONSOLE_PATH, `${CONSOLE_PATH}/*rest`], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The console is not built: run `npm run build:console` (npm start does).');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}

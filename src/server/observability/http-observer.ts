import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { WebSocketServer } from 'ws';
import type { GatewayMetrics } from './metrics';

/** Routes labelled by name (the console's pages and files as one); anything else is "other", so that scanners cannot grow the registry. */
const ROUTES = new Set(['/graphql', '/healthz', '/livez', '/readyz', '/metrics']);
const CONSOLE = /^\/console(\/|$)/;

const routeOf = (path: string): string => (ROUTES.has(path) ? path : CONSOLE.test(path) ? '/console' : 'other');

/** A client's request id is kept when it is a plain token; otherwise (or without one) a new one is made. */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives an HTTP request an id (the client's X-Request-Id, or a new one), echoed in the response
 * and read by the operation observer, and times it by route and status. The path is read at
 * once: a router mounted on a path takes it off req.url while it handles the request.
 */
export function observeHttp(metrics: GatewayMetrics, req: IncomingMessage, res: ServerResponse, path: string): void {
  const started = process.hrtime.bigint();
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('x-request-id', id);
  const labels = { method: req.method!, route: routeOf(path), status: '' };
  res.once('finish', () => {
    labels.status = String(res.statusCode);
    metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });
}

/** observeHttp for every request express serves, but those observed before express (plannedResponses, compiled-responses.ts), which carry their id already. */
export function httpObserver(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    if (!res.hasHeader('x-request-id')) observeHttp(metrics, req, res, req.path);
    next();
  };
}

/** Counts the open sockets of a WebSocket server. */
export function observeSockets(server: WebSocketServer, metrics: GatewayMetrics): void {
  server.on('connection', (socket) => {
    metrics.sockets.inc();
    socket.once('close', () => metrics.sockets.dec());
  });
}

/**
 * `/livez`: the process is up and its event loop answers (a restart is the cure when it does
 * not); it reads no store. `/metrics`: the Prometheus exposition of the gateway's registry.
 */
export function operationsRoutes(metrics: GatewayMetrics): Router {
  const router = Router();
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/metrics', async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

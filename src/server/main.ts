import 'reflect-metadata';
import { runProcess } from './process-lifecycle';
import { serveGateway } from './serve';

/** The gateway on the configured stores, as it runs in production: it seeds nothing. */
runProcess(() => serveGateway());

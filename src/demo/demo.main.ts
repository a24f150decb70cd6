import 'reflect-metadata';
import { runProcess } from '../server/process-lifecycle';
import { serveGateway } from '../server/serve';
import { seedDemoIfEmpty } from './seed-demo-if-empty';

/** The demo (`npm start`): the gateway, with the demo company generated into an empty ERP first. */
runProcess(() => serveGateway(seedDemoIfEmpty));

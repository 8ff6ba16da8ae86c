import { parentPort } from 'node:worker_threads';
import { serveRowParsing } from '../core/sync';

/**
 * The sync's parser thread (sync/rowParserHost.ts starts it from dist/…/rowParser.mjs): it turns
 * messages export bodies into archive rows while the sync's own thread stores the previous ones.
 */
if (parentPort === null) {
  process.stderr.write('This is the Cliq Vault sync parser thread; a sync starts it.\n');
  process.exitCode = 2;
} else {
  serveRowParsing(parentPort);
}

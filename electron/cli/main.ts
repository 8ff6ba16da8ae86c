import { useRowParserThread } from '../core/sync';
import { runCli } from './program';

// The sync's parser thread is bundled beside this file (scripts/build.mjs).
useRowParserThread(new URL('./rowParser.mjs', import.meta.url));
process.exitCode = await runCli(process.argv.slice(2));

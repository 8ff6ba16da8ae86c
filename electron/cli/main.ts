import { toolVersion } from '../core/version';

process.stdout.write(`cliq-vault ${toolVersion}\n`);

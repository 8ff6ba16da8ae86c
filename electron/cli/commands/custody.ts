import { Command } from 'commander';
import { z } from 'zod';
import { appendHandOver } from '../../core/audit';
import { defineFlags } from '../flagTable';
import { jsonSpec } from '../flags';
import { processIo, type Io } from '../output';
import { cliSigner, newSigningKeySpec, signingKeySpec } from '../signingKeyFlags';

const custodyFlags = defineFlags({
  bundle: { flag: '--bundle <dir>', description: 'the audit bundle handed over', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
  to: { flag: '--to <name>', description: 'who receives it (a person, an office, a firm)', schema: z.string({ error: 'is required' }).trim().min(1, 'is required'), required: true },
  note: { flag: '--note <text>', description: 'how, or why (one line)', schema: z.string().optional() },
  signingKey: signingKeySpec,
  newSigningKey: newSigningKeySpec,
  json: jsonSpec('print the entry as JSON'),
});

export function custodyCommand(io: Io = processIo): Command {
  return custodyFlags
    .register(
      new Command('custody')
        .summary("record a hand-over in an audit bundle's signed custody log")
        .description(
          "Appends a dated entry (from this OS user and host, to --to) to the bundle's custody-log.txt, signed with " +
            'Ed25519 over the entry before it (the first over the SHA-256 of SHA256SUMS), so the log is a hash chain ' +
            'that `verify --bundle` checks. The log grows after production, so it is not in SHA256SUMS. The key is ' +
            '--signing-key, CLIQ_VAULT_SIGNING_KEY_FILE, or else one made for this entry only (ephemeral).',
        ),
    )
    .action((raw: Record<string, unknown>) => {
      const flags = custodyFlags.parse(raw, 'custody');
      const signer = cliSigner(flags.signingKey, flags.newSigningKey, io.env);
      const entry = appendHandOver(flags.bundle, { to: flags.to, ...(flags.note !== undefined ? { note: flags.note } : {}), at: new Date(), signer });
      io.out(
        flags.json
          ? `${JSON.stringify(entry)}\n`
          : `Hand-over ${entry.index} recorded in custody-log.txt: ${entry.from} to ${entry.to} at ${entry.at}, signed by ${entry.fingerprint}${entry.ephemeral ? ' (ephemeral key)' : ''}.\n`,
      );
    });
}

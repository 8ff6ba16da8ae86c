import { describeIssue } from '../../../shared/validation';
import { contract, operationNames, type OperationName, type ParsedRequestOf, type ResponseOf } from '../../../shared/contract';
import { toVaultError } from '../../../shared/errors';
import type { Logger } from '../util/log';
import type { AppService } from './appService';

export type Handler<N extends OperationName> = (request: ParsedRequestOf<N>) => Promise<ResponseOf<N>> | ResponseOf<N>;

/**
 * One handler per operation of shared/contract.ts. The handler files (handlers/) each provide a
 * `Pick` of this; createAppService combines them into a whole `Handlers`, so an operation without
 * a handler is a compile error.
 */
export type Handlers = { [N in OperationName]: Handler<N> };

/**
 * `AppService.dispatch` over a complete set of handlers: the name is checked against the contract,
 * the request parsed with the operation's zod schema, the handler's answer or failure wrapped as a
 * Result. Never throws; a refused request reaches no handler.
 */
export function createDispatch(handlers: Handlers, log: Logger): AppService['dispatch'] {
  return async (name, request) => {
    if (!(operationNames as readonly string[]).includes(name)) {
      return { ok: false, error: { code: 'USAGE', message: `Unknown operation "${name}".` } };
    }
    const op = name as OperationName;
    const parsed = contract[op].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = describeIssue(parsed.error);
      return {
        ok: false,
        error: { code: 'USAGE', message: `${op}: ${issue}.`, hint: 'The request was refused and nothing changed.', ui: { message: `The request was refused: ${issue}.`, hint: 'Nothing changed.' } },
      };
    }
    try {
      const handler = handlers[op] as (request: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const failure = toVaultError(error);
      if (failure.code === 'INTERNAL') log.error(`${op} failed`, { error: failure.message });
      else log.info(`${op} refused`, { code: failure.code, error: failure.message });
      return { ok: false, error: failure.toShape() };
    }
  };
}

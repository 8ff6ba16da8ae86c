import { systemClock, type Clock } from './clock';

/**
 * The core's logger. Every line passes through {@link redact}, so a token that slips into a message
 * (an error body echoing a request, a URL with a query) never reaches a log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Zoho tokens and grant codes look like `1000.<hex>.<hex>`; the simulator's follow the same form.
const tokenPattern = /\b1000\.[0-9a-f]{8,}\.[0-9a-f]{8,}\b/gi;
const secretParams = /\b(access_token|refresh_token|client_secret|code|token|authtoken)=([^&\s"']+)/gi;
const authHeader = /\b(Zoho-oauthtoken|Bearer)\s+[^\s"',]+/gi;
// Field names that always hold a secret. (`code` is not one: it is usually an error code; grant
// codes are caught by value, below, and in query strings.)
const secretKeys = /^(access_?token|refresh_?token|client_?secret|authorization|grant_?code|token|password)$/i;

/** Removes anything that looks like a credential from a string. */
export function redact(text: string): string {
  return text.replace(authHeader, '$1 [redacted]').replace(secretParams, '$1=[redacted]').replace(tokenPattern, '[redacted-token]');
}

function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKeys.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = redact(value);
    else out[key] = value;
  }
  return out;
}

/** A logger writing one JSON object (or a readable line) per entry to `write`, at or above `level`. */
export function createLogger(options: { level: LogLevel; write: (line: string) => void; format?: 'json' | 'text'; clock?: Pick<Clock, 'now'> }): Logger {
  const min = levels[options.level];
  const clock = options.clock ?? systemClock;
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < min) return;
    const clean = fields ? redactFields(fields) : undefined;
    const text = redact(message);
    if (options.format === 'json') {
      options.write(`${JSON.stringify({ time: new Date(clock.now()).toISOString(), level, message: text, ...clean })}\n`);
    } else {
      const extra = clean && Object.keys(clean).length > 0 ? ` ${JSON.stringify(clean)}` : '';
      options.write(`[${level}] ${text}${extra}\n`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

import type { Reply } from './reply';
import { jsonReply } from './reply';

/**
 * The documented error bodies (docs/cliq-api.md §4.4), word for word. [004]'s 404 text has typographic
 * apostrophes; we send the ASCII spelling of [001]/[002], which the client compares loosely anyway.
 */
export const errorMessages = {
  400: 'The request cannot be performed. Usually because of malformed parameter or missing parameter.',
  401: 'Request was rejected because of invalid AuthToken.',
  403: 'The user does not have enough permission or possibly not an user of the respective organization to access the resource.',
  404: "The URL you've sent is wrong. It's possible that the resource you've requested has been moved to another URL.",
  405: 'The requested resource does not support the HTTP method used. For example, requesting List of all customers API with PUT as the HTTP method.',
  406: 'The response has been received but the requested response type is not supported by the browser.',
  429: 'Too many requests within a certain time frame.',
  500: 'Cliq server encountered an error which prevents it from fulfilling the request.',
} as const;

export type DocumentedStatus = keyof typeof errorMessages;

export function messageFor(status: number): string {
  return (errorMessages as Record<number, string>)[status] ?? errorMessages[status >= 500 ? 500 : 400];
}

/** `{"message": …}` with the documented text for the status, plus any extra keys (e.g. `code`). */
export function errorReply(status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Reply {
  const reply = jsonReply({ message: messageFor(status), ...extra }, status);
  Object.assign(reply.headers, headers);
  return reply;
}

/** Thrown by handlers; the server turns it into errorReply(status, extra). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
    detail?: string,
  ) {
    super(detail ?? messageFor(status));
  }
}

export const badRequest = (detail?: string) => new HttpError(400, {}, detail);
export const notFound = (detail?: string) => new HttpError(404, {}, detail);
export const forbidden = (detail?: string) => new HttpError(403, {}, detail);

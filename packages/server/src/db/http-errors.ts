import { createErrorHandler, type ErrorShape } from '../http/error-handler.js';
import { HttpError, serviceUnavailable } from '../http/http-error.js';
import { isConnectionError, isUnstorableCharacter } from './errors.js';

/** The database's failures that a client can act on, in HTTP terms; undefined for any other error. */
export function databaseHttpError(error: unknown): HttpError | undefined {
  // The database (or another service) is away, restarting or failing over: the request was fine, a retry will do.
  if (isConnectionError(error)) {
    return serviceUnavailable('A service this request needs is unavailable just now; retry shortly', 1_000);
  }
  if (isUnstorableCharacter(error)) {
    return new HttpError(400, {
      code: 'invalid_request',
      message: 'A value in the request holds a character the database cannot (such as U+0000)',
    });
  }
  return undefined;
}

/** The error handler of a domain that answers in `shape` and reads or writes the database. */
export function errorHandlerFor(shape: ErrorShape) {
  return createErrorHandler(shape, databaseHttpError);
}

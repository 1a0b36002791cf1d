import { describe, expect, it } from 'vitest';
import { AppError, statusOf } from '../../src/domain/errors';

/** The one reading of an error's HTTP status, shared by the Azure DevOps, Teams, Table storage and Azure adapters. */
describe('statusOf', () => {
  it.each([
    ['a typed error with a status', new AppError('DEVOPS.THROTTLED', 'throttled', { status: 429 }), 429],
    ['a typed error without one', new AppError('INTERNAL', 'bug'), undefined],
    ['a client error (azure-devops-node-api, RestError, Bot Connector)', Object.assign(new Error('x'), { statusCode: 503 }), 503],
    ['a client error whose status is not a number', Object.assign(new Error('x'), { statusCode: '503' }), undefined],
    ['a message that names a status', new Error('HTTP 404 Not Found'), undefined],
    ['a Node socket error', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), undefined],
    ['not an object', 'failed', undefined],
    ['nothing', undefined, undefined],
  ])('%s', (_what, error, status) => {
    expect(statusOf(error)).toBe(status);
  });
});

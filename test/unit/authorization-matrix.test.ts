import { describe, expect, it } from 'vitest';
import { routeTable } from '../../lambdas/routes';
import {
  DOCUMENT_STATES,
  isDocumentRoute,
  MATRIX,
  type MatrixRoute,
  PERSONAS,
  parseRow,
} from '../authorization/matrix';

// The authorization matrix's table (test/authorization/matrix.ts) without the stack: every route of
// lambdas/routes.ts has its rows, a document route one per state, each row a status per column.
// test/integration/authorization-matrix.test.ts drives the local stack through it.
describe('the authorization matrix table', () => {
  it('has rows for every route and only for routes that exist', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(routeTable).sort());
  });

  it('has a row per state for every document route, and a status per column in every row', () => {
    for (const [route, rows] of Object.entries(MATRIX) as [MatrixRoute, Readonly<Record<string, string>>][]) {
      expect(Object.keys(rows), route).toEqual(isDocumentRoute(route) ? [...DOCUMENT_STATES] : ['*']);
      for (const text of Object.values(rows)) expect(parseRow(text)).toHaveLength(PERSONAS.length);
    }
    expect(() => parseRow('200 200 | 200')).toThrow();
  });
});

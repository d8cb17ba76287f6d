// Compiled by `tsc -b` in every test run, never executed: error codes are a closed set.
import { ConfigurationError, TetError, type TetErrorCode } from '../../src/index.js';
import type { Equal, Expect } from './equal.js';

export const codes = {
  known: new ConfigurationError('bad route', 'TET_ERR_ROUTE_PATTERN'),
  // @ts-expect-error a misspelt code does not compile
  misspelt: new ConfigurationError('bad route', 'TET_ERR_ROUTE_PATERN'),
  // @ts-expect-error nor does a code no package declared
  undeclared: new TetError('x', 'TET_ERR_NOBODY_DECLARED_THIS'),
};

export type CoreCodesAreCodes = Expect<Equal<Extract<TetErrorCode, 'TET_ERR_CONFIG' | 'TET_ERR_INTERNAL'>, 'TET_ERR_CONFIG' | 'TET_ERR_INTERNAL'>>;

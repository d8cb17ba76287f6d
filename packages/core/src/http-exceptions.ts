// Every HTTP exception, by status family: the one module the rest of Tet (and index.ts) imports
// them from.
export { HTTPException, type HTTPExceptionInit } from './http-exception.js';
export * from './http-success.js';
export * from './http-redirects.js';
export * from './http-client-errors.js';
export * from './http-server-errors.js';

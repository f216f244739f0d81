/**
 * The error model lives in the folder `errors/` (one file per concern); this file keeps the path every
 * stage imports from working, and exports exactly what the folder's index does.
 */
export * from './errors/index.ts';

/**
 * fwprobe's own scenario library, through the same entry users put in their `npm test` (`fwprobe/vitest`):
 * every file under scenarios/ is a describe block with a test per vantage × family and one for the verdict.
 */
import { inject } from 'vitest';
import { scenarioTests } from '../../src/vitest/index.ts';

await scenarioTests(['scenarios'], { image: inject('fwprobeImage') });

import { ensureTargetImage } from '../src/lab/image.ts';
import { removeAllTracked } from '../src/lab/cleanup.ts';
import { startDropTarget, labSweep, stateSummary } from './sweep.ts';
const image = await ensureTargetImage();
console.log(image);
const t = await startDropTarget(image);
for (const f of ['ipv4', 'ipv6'] as const) {
  const { ms, scan } = await labSweep(t, f);
  console.log(f, ms, scan.elapsedSeconds, stateSummary(scan));
}
await removeAllTracked();

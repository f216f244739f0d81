import { startDropTarget, labSweep, stateSummary } from './sweep.ts';
import { ensureTargetImage } from '../src/lab/image.ts';
const image = await ensureTargetImage();
const target = await startDropTarget(image);
try {
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (let i = 0; i < 2; i++) {
      const { ms, scan } = await labSweep(target, family);
      console.log(family, ms, 'nmap', scan.elapsedSeconds, stateSummary(scan), JSON.stringify(scan.backing), scan.followUpCommands.length);
    }
  }
} finally { await target.remove(); }

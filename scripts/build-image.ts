// Builds (or finds cached) the fwprobe target image and prints its tag.
import { ensureTargetImage } from '../src/lab/image.ts';

const tag = await ensureTargetImage({ log: (line) => console.error(`fwprobe image: ${line}`) });
console.log(tag);

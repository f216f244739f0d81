export { FwprobeContainer, StartedFwprobeContainer } from './fwprobe-container.ts';
export type { AppliedRuleset, Backend, RulesetText } from './fwprobe-container.ts';
export { LabNetwork } from './network.ts';
export { ensureTargetImage } from './image.ts';
export { installSignalCleanup, removeAllTracked, sweepStale, LABEL, RUN_ID } from './cleanup.ts';
export { Disposer } from './disposer.ts';

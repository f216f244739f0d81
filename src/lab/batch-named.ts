/**
 * Names for the steps of a batch: callers read `steps.save4`, not `steps[5]`, so adding a command to a batch
 * cannot shift what another line of code reads. The batch is still one exec (batch.ts); this only lays the
 * named commands out in order and reads the results back under the same names.
 */
import { CommandOutputError, InternalError } from '../model/errors.ts';
import type { StepResult } from './batch.ts';

/** One command (argv), or a list of commands read back as a list under one name. */
export type BatchEntry = readonly string[] | readonly (readonly string[])[];

/** Named commands; they run in the order the names are written. */
export type BatchSpec = { readonly [name: string]: BatchEntry };

type IsList<E> = E extends readonly (readonly string[])[] ? true : false;

/** Every step of a batch that ran to its end, by name: a list's steps as a list, in its order. */
export type BatchSteps<S extends BatchSpec> = { -readonly [K in keyof S]: IsList<S[K]> extends true ? StepResult[] : StepResult };

/** A batch stopped at a failure: the commands after it did not run, so their steps are absent (`undefined`, or a shorter list). */
export type PartialBatchSteps<S extends BatchSpec> = { -readonly [K in keyof S]: IsList<S[K]> extends true ? StepResult[] : StepResult | undefined };

/** Where a stopped batch failed: the step's name, its place in a list (0 for a single command) and its result. */
export interface FailedStep<S extends BatchSpec> {
  name: keyof S & string;
  index: number;
  step: StepResult;
}

/** What a batch run with `stopOnFailure` gives: every step when none failed, else the failure and the steps that ran. */
export type StoppedBatch<S extends BatchSpec> = { failed: null; steps: BatchSteps<S> } | { failed: FailedStep<S>; steps: PartialBatchSteps<S> };

interface Slot {
  name: string;
  list: boolean;
  start: number;
  count: number;
}

// An empty list is a list: no command has an empty argv.
const isList = (entry: BatchEntry): entry is readonly (readonly string[])[] => entry.length === 0 || Array.isArray(entry[0]);

/** The commands of `spec` in order, and where each name's steps sit among them. */
export function layoutBatch(spec: BatchSpec): { commands: string[][]; slots: Slot[] } {
  const commands: string[][] = [];
  const slots: Slot[] = [];
  for (const [name, entry] of Object.entries(spec)) {
    // Integer-like keys are ordered before all others by JavaScript, whatever order they were written in.
    if (/^\d+$/.test(name)) throw new InternalError(`batch step name ${JSON.stringify(name)} is a number: its steps would run out of the written order`);
    const group = isList(entry) ? entry.map((command) => [...command]) : [[...(entry as readonly string[])]];
    slots.push({ name, list: isList(entry), start: commands.length, count: group.length });
    commands.push(...group);
  }
  return { commands, slots };
}

/**
 * The steps of a batch that had to run to its end, by name.
 * @throws CommandOutputError naming the first step with no result (the batch broke off before it).
 */
export function nameAllSteps<S extends BatchSpec>(spec: S, steps: readonly StepResult[]): BatchSteps<S> {
  const { commands, slots } = layoutBatch(spec);
  if (steps.length < commands.length) {
    const missing = slots.find((slot) => slot.start + slot.count > steps.length);
    throw new CommandOutputError(`a batch of ${commands.length} commands gave ${steps.length} results: the step ${JSON.stringify(missing?.name)} has none`);
  }
  return nameSteps(slots, steps) as BatchSteps<S>;
}

/** The steps of a batch run with `stopOnFailure`, by name, and the step that stopped it (null when none did). */
export function nameStoppedSteps<S extends BatchSpec>(spec: S, steps: readonly StepResult[]): StoppedBatch<S> {
  const { commands, slots } = layoutBatch(spec);
  const at = steps.findIndex((step) => step.exitCode !== 0);
  if (at === -1) return { failed: null, steps: nameAllSteps(spec, steps) };
  if (at !== steps.length - 1) throw new CommandOutputError(`a batch that stops at a failure ran on after step ${at + 1} of ${commands.length} failed`);
  const slot = slots.find((s) => at >= s.start && at < s.start + s.count);
  const step = steps[at];
  if (!slot || !step) throw new CommandOutputError(`a batch of ${commands.length} commands gave ${steps.length} results`);
  return { failed: { name: slot.name, index: at - slot.start, step }, steps: nameSteps(slots, steps) as PartialBatchSteps<S> };
}

function nameSteps(slots: readonly Slot[], steps: readonly StepResult[]): Record<string, StepResult | StepResult[] | undefined> {
  return Object.fromEntries(slots.map((slot) => [slot.name, slot.list ? steps.slice(slot.start, slot.start + slot.count) : steps[slot.start]]));
}

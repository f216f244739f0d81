/**
 * The bundle's envelope, checked before anything of it is used: a bundle comes from another machine and is
 * hostile input. Size-bounded, JSON, the one `format`, exactly the items the script writes, each a status,
 * an exit code and base64 text of bounded length. Every refusal is a BundleInvalidError naming the field.
 */
import { z } from 'zod';
import { BundleInvalidError } from '../../model/errors.ts';
import { BUNDLE_FORMAT, BUNDLE_ITEMS, ITEM_CAP_BYTES, type BundleItemName } from './collect-script.ts';

/** The largest bundle read: every item at its cap, base64-encoded, with room to spare. */
export const MAX_BUNDLE_BYTES = 96 * 1024 * 1024;

/** What became of one command: `ok` ran and exited 0; the rest say why its output is missing or partial. */
export const ITEM_STATUSES = ['ok', 'failed', 'timeout', 'missing', 'skipped', 'truncated'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

const B64_MAX = Math.ceil(ITEM_CAP_BYTES / 3) * 4 + 64;

const itemSchema = z.strictObject({
  status: z.enum(ITEM_STATUSES),
  rc: z.number().int().min(-1).max(255),
  out: z
    .string()
    .max(B64_MAX, { error: `expected at most ${B64_MAX} base64 characters (the collect script caps each output at ${ITEM_CAP_BYTES} bytes)` })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'expected base64 text' }),
});

const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: `expected "${BUNDLE_FORMAT}": this bundle was not written by this fwprobe's collect script (run \`fwprobe collect\` again)` }),
  items: z.strictObject(Object.fromEntries(BUNDLE_ITEMS.map((name) => [name, itemSchema])) as Record<BundleItemName, typeof itemSchema>),
});

/** One command's result, its output decoded. */
export interface BundleItem {
  status: ItemStatus;
  rc: number;
  text: string;
}

export type Bundle = Record<BundleItemName, BundleItem>;

/**
 * Parses a bundle's text. @param where - Named in every message (the file's path).
 * @throws BundleInvalidError naming the field for anything that is not a bundle of this format.
 */
export function parseBundle(text: string, where: string): Bundle {
  if (Buffer.byteLength(text) > MAX_BUNDLE_BYTES) throw new BundleInvalidError(`${where}: expected a bundle of at most ${MAX_BUNDLE_BYTES} bytes, found ${Buffer.byteLength(text)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BundleInvalidError(`${where}: not JSON (${(error as Error).message}): give the file \`sh collect.sh\` wrote, unchanged`);
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the document)';
    throw new BundleInvalidError(`${where}: field ${field}: ${issue.message}`);
  }
  const items = {} as Bundle;
  for (const name of BUNDLE_ITEMS) {
    const { status, rc, out } = parsed.data.items[name];
    items[name] = { status, rc, text: Buffer.from(out, 'base64').toString('utf8') };
  }
  return items;
}

/** The field path of an item in messages. */
export function itemField(name: BundleItemName): string {
  return `items.${name}`;
}

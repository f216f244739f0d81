/**
 * The field names a zod schema knows at a path of the input, read from the schema itself, so that an
 * unknown field can be answered with the one that was meant (`expcet` → `expect`) at any depth, and the
 * suggestions cannot drift from what is parsed.
 */
import type { z } from 'zod';
import type { FieldPath } from './issues.ts';

/** The smallest view of zod 4's schema definitions that the walk needs. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: readonly z.ZodType[];
  rest?: z.ZodType | null;
  getter?: () => z.ZodType;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'promise', 'success']);
// A lazy schema may name itself: a walk this deep is a loop, not an input.
const MAX_STEPS = 64;

/** Every field name an object at `path` may hold (every branch of a union at once), sorted; [] when none is known. */
export function knownKeys(schema: z.ZodType, path: FieldPath): string[] {
  let at = expand([schema]);
  for (const segment of path) at = expand(at.flatMap((s) => child(s, segment)));
  const keys = new Set<string>();
  for (const s of at) for (const key of Object.keys(def(s).shape ?? {})) keys.add(key);
  return [...keys].sort();
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schemas a value may be checked by once wrappers, pipes, unions and lazies are looked through. */
function expand(schemas: readonly z.ZodType[]): z.ZodType[] {
  const out: z.ZodType[] = [];
  const queue = [...schemas];
  for (let steps = 0; queue.length > 0 && steps < MAX_STEPS * 16; steps++) {
    const s = queue.shift()!;
    const d = def(s);
    if (WRAPPERS.has(d.type) && d.innerType) queue.push(d.innerType);
    else if (d.type === 'pipe' && d.in) queue.push(d.in);
    else if (d.type === 'union' && d.options) queue.push(...d.options);
    else if (d.type === 'intersection' && d.left && d.right) queue.push(d.left, d.right);
    else if (d.type === 'lazy' && d.getter) queue.push(d.getter());
    else out.push(s);
  }
  return out;
}

/** The schemas of one step down: a field of an object, an item of a list, a value of a record. */
function child(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const d = def(schema);
  if (d.type === 'object') {
    const field = typeof segment === 'string' ? d.shape?.[segment] : undefined;
    return field ? [field] : [];
  }
  if (d.type === 'record' && d.valueType) return [d.valueType];
  if (d.type === 'array' && d.element && typeof segment === 'number') return [d.element];
  if (d.type === 'tuple' && typeof segment === 'number') {
    const item = d.items?.[segment] ?? d.rest ?? undefined;
    return item ? [item] : [];
  }
  return [];
}

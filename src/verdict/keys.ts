/** Ordering and labels shared by the verdict modules. */
import { compareViews, FAMILIES, PROTOCOLS, viewLabel, type Family, type Protocol, type Vantage } from '../model/observation.ts';

export interface Scope {
  vantage: Vantage;
  /** A host behind the target; absent for the target. */
  host?: string;
  family: Family;
  protocol: Protocol;
}

export function scopeKey(s: Scope): string {
  return `${viewLabel(s)}/${s.family}/${s.protocol}`;
}

/** `peer ipv6 tcp/53`, `internet→web ipv4 tcp/80` */
export function portLabel(s: Scope, port: number): string {
  return `${viewLabel(s)} ${s.family} ${s.protocol}/${port}`;
}

/** Sorts by vantage (and host), family, protocol, then port (when present). */
export function compareScoped(a: Scope & { port?: number }, b: Scope & { port?: number }): number {
  return compareViews(a, b) || FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || (a.port ?? 0) - (b.port ?? 0);
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

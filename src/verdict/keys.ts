/** Ordering and labels shared by the verdict modules. */
import { FAMILIES, PROTOCOLS, VANTAGES, type Family, type Protocol, type Vantage } from '../model/observation.ts';

export interface Scope {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
}

export function scopeKey(s: Scope): string {
  return `${s.vantage}/${s.family}/${s.protocol}`;
}

/** `peer ipv6 tcp/53` */
export function portLabel(s: Scope, port: number): string {
  return `${s.vantage} ${s.family} ${s.protocol}/${port}`;
}

/** Sorts by vantage, family, protocol, then port (when present). */
export function compareScoped(a: Scope & { port?: number }, b: Scope & { port?: number }): number {
  return (
    VANTAGES.indexOf(a.vantage) - VANTAGES.indexOf(b.vantage) ||
    FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) ||
    PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) ||
    (a.port ?? 0) - (b.port ?? 0)
  );
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

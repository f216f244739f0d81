/**
 * IPv6 duplicate address detection in the target. An address the kernel still calls `tentative` neither
 * answers neighbour solicitations nor serves as a source, so a scan taken while one settles sees a host that
 * is not yet the one the ruleset runs on, and the recheck after the scans then (rightly) reports a changed
 * lab. dockerd's bridge is the common case: its IPv6 address goes tentative when the first container
 * attaches. The self-check therefore waits for detection to finish before it records the lab.
 */

/**
 * Tentative addresses that will settle by themselves: on a link with carrier (`LOWER_UP`). Without carrier
 * (a bridge with no port) detection does not even start, and nothing can reach the address through it.
 * @param addresses - `ip -o addr show up` lines.
 * @param links - `ip -o link show` lines.
 */
export function settlingAddresses(addresses: readonly string[], links: readonly string[]): string[] {
  const carrier = new Set(
    links
      .map((l) => /^\d+:\s+([^:@\s]+)(@\S+)?:\s+<([^>]*)>/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[3]!.split(',').includes('LOWER_UP'))
      .map((m) => m[1]!),
  );
  return addresses.filter((l) => {
    const m = /^\d+:\s+(\S+)\s+inet6\s+(\S+)\s(.*)$/.exec(l);
    return m !== null && /\btentative\b/.test(m[3]!) && !/\bdadfailed\b/.test(m[3]!) && carrier.has(m[1]!);
  });
}

/** How long the self-check waits for detection (one probe, one second by default, slower under load). @default 5000 */
export const SETTLE_MS = 5000;
/** Between two looks. */
export const SETTLE_POLL_MS = 250;

/**
 * Looks until nothing is settling, or until `ms` have passed since the first look ended; returns the last
 * look's value. The wait counts from the first look, not from the call: on a loaded machine one look took
 * over 5 s (the self-check phase read 5-14 s), which left no second look, while detection runs on the
 * kernel's clock and was done by then.
 */
export async function afterSettling<T>(look: () => Promise<{ value: T; settling: readonly string[] }>, wait = { ms: SETTLE_MS, pollMs: SETTLE_POLL_MS }): Promise<T> {
  let until: number | undefined;
  for (;;) {
    const { value, settling } = await look();
    until ??= Date.now() + wait.ms;
    if (settling.length === 0 || Date.now() >= until) return value;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

/**
 * nmap timing for the lab, in one place. nmap's defaults (1 s initial RTT timeout, 10 retries) take minutes
 * against DROP policies; the lab's RTTs are microseconds on loopback and well under a millisecond across
 * the bridge, so tight timeouts lose nothing. `test/scenarios/timing-agreement.test.ts` proves these give the
 * same port states as nmap's conservative `-T3` on DROP, REJECT and ACCEPT rulesets.
 */
export const LAB_TIMING_ARGS: readonly string[] = ['--max-retries', '1', '--initial-rtt-timeout', '20ms', '--max-rtt-timeout', '50ms', '--min-rate', '20000'];

/**
 * A counted TCP scan (counted.ts): every probe once and fast, because the target's own ledger proves which
 * silent ports its firewall dropped, and only the rest are sent again (with LAB_TIMING_ARGS). Against
 * DROP nmap gets no answer to pace itself by and sends at exactly this floor: a full loopback sweep's
 * nmap run took 1.38 s at 50000 pps and 0.72-0.79 s at 100000 (INPUT+OUTPUT DROP; 1.8 s and 1.2 s under
 * INPUT DROP alone, where each probe crosses loopback). Above that nmap is CPU-bound over IPv6 and loses
 * answers where there are answers: on loopback its capture sees each probe as well as each answer, and
 * overflows. The ledger shows such a port delivered and answered, so it is retried, never proven; but a
 * sweep of an all-closed target then pays for a second pass (measured on 2 busy cores: 50000 already lost
 * answers there, and 200000 made that sweep two to three times slower).
 */
export const COUNTED_TIMING_ARGS: readonly string[] = ['--max-retries', '0', '--initial-rtt-timeout', '20ms', '--max-rtt-timeout', '50ms', '--min-rate', '100000'];

/**
 * UDP answers come from a userspace listener, not from the kernel as a SYN-ACK does, so a busy machine can
 * delay them by more than the TCP timeout; UDP gets more time and one more retry.
 */
export const LAB_UDP_TIMING_ARGS: readonly string[] = ['--max-retries', '2', '--initial-rtt-timeout', '50ms', '--max-rtt-timeout', '200ms', '--min-rate', '20000'];

/**
 * For UDP ports of interest that read `open|filtered`: a second, patient look at only those ports before
 * the answer is believed. A UDP "open" needs the listener (a userspace process) to answer, and on a loaded
 * CI machine that answer can miss the tuned window; a missed answer would read exactly like a DROP.
 */
export const UDP_CONFIRM_TIMING_ARGS: readonly string[] = ['--max-retries', '4', '--initial-rtt-timeout', '500ms', '--max-rtt-timeout', '1000ms'];

/** At most this many ambiguous UDP ports get the confirmation scan; more would cost seconds each. */
export const UDP_CONFIRM_MAX_PORTS = 64;

/** nmap's own defaults: the reference users hit, for the agreement test and the benchmark. */
export const CONSERVATIVE_TIMING_ARGS: readonly string[] = ['-T3'];

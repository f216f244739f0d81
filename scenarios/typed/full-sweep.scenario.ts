// What it proves: a scenario written in TypeScript (typed by `defineScenario`, validated by the same schema as
// YAML), and a full 65535-port TCP sweep from the peer under DROP policies on both families. Only 22/tcp may
// be open; every other port (65534 of them, summarised in the report rather than listed) must not be.
import { defineScenario } from 'fwprobe';

export default defineScenario({
  name: 'full TCP sweep: only ssh is exposed, on both families',
  services: ['22/tcp', '53/tcp', '80/tcp'],
  // The parity scenarios' rulesets, shared rather than copied: a path outside this folder needs the opt-in.
  paths: { allowOutside: true },
  ruleset: { v4: '../parity/rules.v4', v6: '../parity/rules.v6' },
  vantages: ['peer'],
  ports: { tcp: 'all' },
  expect: { exposed: ['22/tcp'] },
  parity: 'strict',
});

/**
 * The root of fwprobe's error model: `FwprobeError`, and the closed list of codes a result can carry. Every
 * class in this folder has a literal `code` from `FWPROBE_ERROR_CODES` (errors.test.ts checks both ways:
 * no class without a listed code, no listed code without a class).
 */

/**
 * Every code a result's `errorCode` can hold, in one list: the type is derived from it, and results.json
 * read back is checked against it.
 */
export const FWPROBE_ERROR_CODES = [
  'COMMAND_FAILED',
  'COMMAND_OUTPUT_INVALID',
  'TIMEOUT',
  'INTERRUPTED',
  'NO_SCAN_RAN',
  'LAB_CLEANUP_FAILED',
  'DOCKER_UNAVAILABLE',
  'DOCKER_API_FAILED',
  'SYSTEM_ERROR',
  'IMAGE_BUILD_FAILED',
  'LAB_SELF_CHECK_FAILED',
  'LAB_CHANGED_DURING_SCANS',
  'ATTRIBUTION_TRACE_FAILED',
  'SERVICE_START_FAILED',
  'SCAN_TARGET_OUT_OF_SCOPE',
  'LAB_SUBNET_COLLISION',
  'LAB_WIRING_FAILED',
  'NMAP_EXIT_NONZERO',
  'NMAP_RUN_ERROR',
  'NMAP_OUTPUT_TRUNCATED',
  'NMAP_XML_INVALID',
  'NMAP_NO_PORTS',
  'NMAP_HOST_MISSING',
  'NMAP_PROTOCOL_MISMATCH',
  'NMAP_SEND_FAILED',
  'PORT_NOT_SCANNED',
  'PORT_SPEC_INVALID',
  'TOO_MANY_PORTS',
  'RULESET_APPLY_FAILED',
  'RULESET_SCRIPT_FAILED',
  'RULESET_SCRIPT_LEFTOVERS',
  'POLICY_INVALID',
  'POLICY_FILE',
  'PRESET_INVALID',
  'SAVE_PARSE',
  'CLI_USAGE',
  'NO_SCENARIOS',
  'BASELINE_MISSING',
  'BASELINE_INVALID',
  'RESULTS_INVALID',
  'BUNDLE_INVALID',
  'INTERNAL',
  'SCENARIO_NOT_FOUND',
  'SCENARIO_BROKEN_LINK',
  'SCENARIO_LINK_LOOP',
  'SCENARIO_UNSUPPORTED',
  'SCENARIO_YAML',
  'SCENARIO_IMPORT',
  'SCENARIO_INVALID',
  'SCENARIO_FILE_MISSING',
  'SCENARIO_PATH_OUTSIDE',
  'SCENARIO_TOO_LARGE',
] as const;

export type FwprobeErrorCode = (typeof FWPROBE_ERROR_CODES)[number];

export type ErrorOptions = { cause?: unknown };

/**
 * Base of every error fwprobe raises on purpose. Abstract: a concrete class fixes its code, so a result's
 * `errorCode` always names a class a user can look up.
 */
export abstract class FwprobeError extends Error {
  readonly code: FwprobeErrorCode;

  constructor(code: FwprobeErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A message-only error class with the literal `code` it carries, also readable on the class itself
 * (`static code`) so that the code list can be checked against the classes without building one.
 */
export function coded<C extends FwprobeErrorCode>(code: C) {
  return class extends FwprobeError {
    static readonly code: C = code;
    declare readonly code: C;
    constructor(message: string, options?: ErrorOptions) {
      super(code, message, options);
    }
  };
}

/**
 * Errors in files and values fwprobe reads that are not scenarios: restore files, port lists, exposure
 * baselines and results.json files. Each names the file and field or line, and what to do.
 */
import { coded, FwprobeError, type ErrorOptions } from './base.ts';

/** A line of an iptables-save / iptables-restore file that fwprobe cannot parse. */
export class SaveParseError extends FwprobeError {
  static readonly code = 'SAVE_PARSE';
  declare readonly code: 'SAVE_PARSE';
  readonly line: number;

  constructor(file: string, line: number, detail: string, options?: ErrorOptions) {
    super('SAVE_PARSE', `${file}:${line}: ${detail}`, options);
    this.line = line;
  }
}

/** A port list in nmap `-p` syntax is malformed or out of range. */
export class PortSpecError extends FwprobeError {
  static readonly code = 'PORT_SPEC_INVALID';
  declare readonly code: 'PORT_SPEC_INVALID';
  readonly spec: string;

  constructor(spec: string, problem: string) {
    super('PORT_SPEC_INVALID', `invalid port list "${spec}": ${problem}. Write ports as comma-separated numbers or ` + 'LOW-HIGH ranges from 1 to 65535, e.g. "22,53,80-82".');
    this.spec = spec;
  }
}

/** `fwprobe check` found no exposure baseline beside a scenario: the message names the file and says to run `fwprobe baseline`. */
export class BaselineMissingError extends coded('BASELINE_MISSING') {}
/** An exposure baseline file that is not what `fwprobe baseline` writes: the message names the file and the field. */
export class BaselineInvalidError extends coded('BASELINE_INVALID') {}
/** A results.json (or a shard's report folder) that cannot be read or compared: the message names the file and the field. */
export class ResultsFileError extends coded('RESULTS_INVALID') {}
/** A host bundle (`fwprobe collect`'s output) that cannot be captured: the message names the bundle's field and what to do. */
export class BundleInvalidError extends coded('BUNDLE_INVALID') {}

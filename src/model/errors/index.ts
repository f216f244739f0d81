/**
 * Every error fwprobe raises on purpose (as vitest keeps its errors together): each class has a literal
 * `code` from `FWPROBE_ERROR_CODES` and a message that says what went wrong and what to do. A failed command
 * is one `CommandFailedError` (execa's shape: command, exit code, stdout, stderr, the `cause` kept); nmap and
 * ruleset-apply errors build on it. Anything else thrown becomes one of these in `asFwprobeError`.
 */
export { FWPROBE_ERROR_CODES, FwprobeError, type ErrorOptions, type FwprobeErrorCode } from './base.ts';
export { CommandFailedError, CommandOutputError, type CommandFailureCode, type CommandOutcome } from './command.ts';
export { InterruptedError, TimeoutError } from './run.ts';
export { DockerUnavailableError, ImageBuildError, LabChangedError, LabCleanupError, LabSelfCheckError, LabWiringError, ServiceStartError, SubnetCollisionError, TraceError } from './lab.ts';
export { NftApplyError, RulesetApplyError, ScriptFailedError, ScriptLeftoversError, ScriptLineError, UfwApplyError, type NftErrorAt } from './ruleset-apply.ts';
export { NoScenariosError, PolicyError, PolicyFileError, policyMistakeField, PresetError, ScenarioError, TooManyPortsError, UsageError, type ScenarioErrorCode } from './scenario.ts';
export { BaselineInvalidError, BundleInvalidError, BaselineMissingError, PortSpecError, ResultsFileError, SaveParseError } from './input.ts';
export {
  NmapExitError,
  NmapHostMissingError,
  NmapNoPortsError,
  NmapOutputTruncatedError,
  NmapProtocolMismatchError,
  NmapRunError,
  NmapScanError,
  NmapSendFailedError,
  NmapXmlInvalidError,
  NmapXmlShapeError,
  NoScanRanError,
  OutOfScopeTargetError,
  PortNotScannedError,
  type NmapCode,
} from './scan.ts';
export { asFwprobeError, DockerApiError, InternalError, REPORT_BUG, SystemError } from './internal.ts';
export { formatFieldPath, type FieldPath, type ScenarioIssue } from '../issues.ts';

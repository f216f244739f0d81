/**
 * The error model is closed both ways: every error class exported from this folder carries a literal code
 * from FWPROBE_ERROR_CODES (one fixed code per class, or a fixed list for the SCENARIO_* family), and every
 * code in that list has a class a user can look up.
 */
import { describe, expect, it } from 'vitest';
import * as errors from './index.ts';
import { FWPROBE_ERROR_CODES, FwprobeError, type FwprobeErrorCode } from './index.ts';

const run = { command: ['nmap', '-p', '22', '127.0.0.1'], exitCode: 1, stdout: '', stderr: 'boom' };
const errno = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });

/** One instance of every concrete class, built as its throw sites build it. */
const SAMPLES: Record<string, () => FwprobeError> = {
  CommandFailedError: () => new errors.CommandFailedError(run, 'it failed'),
  CommandOutputError: () => new errors.CommandOutputError('batch output is malformed at line 1'),
  TimeoutError: () => new errors.TimeoutError('the scan', 1000, '--bound scan'),
  InterruptedError: () => new errors.InterruptedError('interrupted'),
  DockerUnavailableError: () => new errors.DockerUnavailableError('no engine'),
  ImageBuildError: () => new errors.ImageBuildError('build failed'),
  LabCleanupError: () => new errors.LabCleanupError('left a container'),
  LabSelfCheckError: () => new errors.LabSelfCheckError('no listener'),
  LabChangedError: () => new errors.LabChangedError('ruleset changed'),
  TraceError: () => new errors.TraceError('no trace'),
  ServiceStartError: () => new errors.ServiceStartError('no service'),
  SubnetCollisionError: () => new errors.SubnetCollisionError('overlap'),
  LabWiringError: () => new errors.LabWiringError('no veth'),
  RulesetApplyError: () => new errors.RulesetApplyError({ ...run, family: 'ipv4', source: 'rules.v4', text: '*filter\n', toolLine: 1 }),
  UfwApplyError: () => new errors.UfwApplyError({ ...run, source: 'ufw/' }),
  NftApplyError: () => new errors.NftApplyError({ ...run, source: 'rules.nft', at: { line: 1, column: 2, message: 'syntax error' } }),
  ScriptFailedError: () => new errors.ScriptFailedError('fw.sh exited with code 1'),
  ScriptLeftoversError: () => new errors.ScriptLeftoversError('fw.sh left 1 process'),
  ScriptLineError: () => new errors.ScriptLineError({ file: 'fw.sh', line: 3, command: 'iptables -X', exitCode: 1, stderr: '' }),
  ScenarioError: () => new errors.ScenarioError('SCENARIO_INVALID', '/s.scenario.yaml', [{ path: ['name'], message: 'expected a string' }]),
  PolicyFileError: () => new errors.PolicyFileError('p.yaml', 'not found'),
  PresetError: () => new errors.PresetError('Unknown preset', 'preset'),
  PolicyError: () => new errors.PolicyError('p.yaml', ['inbound[0].port: expected 1-65535']),
  UsageError: () => new errors.UsageError('--x needs a value'),
  NoScenariosError: () => new errors.NoScenariosError('no scenarios'),
  SaveParseError: () => new errors.SaveParseError('rules.v4', 2, 'expected COMMIT'),
  PortSpecError: () => new errors.PortSpecError('0', 'port 0 is out of range'),
  TooManyPortsError: () => new errors.TooManyPortsError('70 tcp ports named'),
  BaselineMissingError: () => new errors.BaselineMissingError('no baseline'),
  BaselineInvalidError: () => new errors.BaselineInvalidError('bad baseline'),
  BundleInvalidError: () => new errors.BundleInvalidError('bad bundle'),
  ResultsFileError: () => new errors.ResultsFileError('bad results.json'),
  NmapExitError: () => new errors.NmapExitError('nmap exited', run),
  NmapRunError: () => new errors.NmapRunError('nmap stopped', run, { errormsg: 'x' }),
  NmapOutputTruncatedError: () => new errors.NmapOutputTruncatedError('incomplete', run),
  NmapXmlInvalidError: () => new errors.NmapXmlInvalidError('not XML', run),
  NmapNoPortsError: () => new errors.NmapNoPortsError('no ports', run),
  NmapHostMissingError: () => new errors.NmapHostMissingError('no host', run, { target: '127.0.0.1' }),
  NmapProtocolMismatchError: () => new errors.NmapProtocolMismatchError('udp', run),
  NmapSendFailedError: () => new errors.NmapSendFailedError('sendto failed', run),
  PortNotScannedError: () => new errors.PortNotScannedError('no state', run, { port: 22 }),
  NmapXmlShapeError: () => new errors.NmapXmlShapeError('<port> has no <state>'),
  OutOfScopeTargetError: () => new errors.OutOfScopeTargetError('8.8.8.8 is outside the lab'),
  NoScanRanError: () => new errors.NoScanRanError('no scan ran'),
  InternalError: () => new errors.InternalError('no scanner for vantage peer'),
  SystemError: () => new errors.SystemError(errno),
  DockerApiError: () => new errors.DockerApiError(Object.assign(new Error('(HTTP code 409) conflict'), { statusCode: 409 })),
};

/** Bases a result never carries as such: each concrete subclass fixes the code. */
const ABSTRACT = new Set(['FwprobeError', 'NmapScanError']);

type ErrorClass = (abstract new (...args: never[]) => FwprobeError) & { code?: FwprobeErrorCode; codes?: readonly FwprobeErrorCode[] };

const classes = (Object.entries(errors) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] === FwprobeError || (entry[1] as { prototype: unknown }).prototype instanceof FwprobeError),
);
const concrete = classes.filter(([name]) => !ABSTRACT.has(name));
const codesOf = (cls: ErrorClass): readonly FwprobeErrorCode[] => cls.codes ?? (cls.code === undefined ? [] : [cls.code]);

describe('the error model', () => {
  it('finds every error class the folder exports (the enumeration is not empty by accident)', () => {
    expect(concrete.length).toBeGreaterThanOrEqual(45);
    expect(classes.map(([name]) => name)).toEqual(expect.arrayContaining([...ABSTRACT]));
  });

  it('gives every class its fixed codes, each in FWPROBE_ERROR_CODES', () => {
    const listed = new Set<string>(FWPROBE_ERROR_CODES);
    const problems = concrete.flatMap(([name, cls]) => {
      const codes = codesOf(cls);
      if (codes.length === 0) return [`${name}: no static code`];
      return codes.filter((code) => !listed.has(code)).map((code) => `${name}: ${code} is not in FWPROBE_ERROR_CODES`);
    });
    expect(problems).toEqual([]);
  });

  it('has a sample of every class, and each instance carries its class code and name', () => {
    expect(concrete.map(([name]) => name).filter((name) => !(name in SAMPLES))).toEqual([]);
    for (const [name, cls] of concrete) {
      const error = SAMPLES[name]!();
      expect(error, name).toBeInstanceOf(cls);
      expect(error.name).toBe(name);
      expect(codesOf(cls), name).toContain(error.code);
      expect(error.message.length, name).toBeGreaterThan(0);
    }
  });

  it('has no code in FWPROBE_ERROR_CODES without a class that carries it', () => {
    const carried = new Set(concrete.flatMap(([, cls]) => codesOf(cls)));
    expect(FWPROBE_ERROR_CODES.filter((code) => !carried.has(code))).toEqual([]);
    expect(new Set(FWPROBE_ERROR_CODES).size).toBe(FWPROBE_ERROR_CODES.length);
  });

  it('types each code as its literal, so a check on `code` narrows (checked by tsc)', () => {
    const usage: 'CLI_USAGE' = new errors.UsageError('x').code;
    const applied: 'RULESET_APPLY_FAILED' = new errors.UfwApplyError({ ...run, source: 'ufw/' }).code;
    const nmap: 'NMAP_NO_PORTS' = new errors.NmapNoPortsError('x', run).code;
    const failed: 'COMMAND_FAILED' = new errors.CommandFailedError(run).code;
    expect([usage, applied, nmap, failed]).toEqual(['CLI_USAGE', 'RULESET_APPLY_FAILED', 'NMAP_NO_PORTS', 'COMMAND_FAILED']);
  });

  it('keeps the cause of a command failure, as execa does', () => {
    const cause = new Error('exec failed');
    const error = new errors.CommandFailedError(run, 'the probe failed', { cause, footer: 'Run it again.' });
    expect(error).toMatchObject({ cause, command: run.command, exitCode: 1, stderr: 'boom', stdout: '' });
    expect(error.message).toBe('the probe failed\nCommand failed with exit code 1: nmap -p 22 127.0.0.1\nstderr:\n  boom\nRun it again.');
  });
});

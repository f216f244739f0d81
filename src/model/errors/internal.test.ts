/** Anything fwprobe did not raise on purpose becomes one error a result can carry, in asFwprobeError. */
import { describe, expect, it } from 'vitest';
import { asFwprobeError, InternalError, REPORT_BUG, UsageError } from './index.ts';

function thrownByABug(): unknown {
  try {
    const missing = undefined as unknown as { chains: unknown[] };
    return missing.chains.length;
  } catch (error) {
    return error;
  }
}

describe('asFwprobeError', () => {
  it('turns an unexpected exception into INTERNAL with its stack and a request to report it', () => {
    const bug = thrownByABug();
    expect(bug).toBeInstanceOf(TypeError);
    const error = asFwprobeError(bug);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.code).toBe('INTERNAL');
    expect(error.cause).toBe(bug);
    const lines = error.message.split('\n');
    expect(lines[0]).toMatch(/^Internal error: TypeError: Cannot read properties of undefined \(reading 'chains'\)$/);
    // The stack of what was thrown, where it was thrown: this file's function.
    expect(lines[1]).toMatch(/^\s+at thrownByABug .*internal\.test\.ts:\d+:\d+/);
    expect(lines.at(-1)).toBe(REPORT_BUG);
    expect(REPORT_BUG).toMatch(/bug in fwprobe.*please report it/);
  });

  it("keeps fwprobe's own errors as they are", () => {
    const usage = new UsageError('--concurrency must be a whole number');
    expect(asFwprobeError(usage)).toBe(usage);
  });

  it('names a refusal of the operating system or of the Docker engine as such, not as a bug', () => {
    const errno = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    const system = asFwprobeError(errno);
    expect(system.code).toBe('SYSTEM_ERROR');
    expect(system.message).toContain('The operating system refused write (ENOSPC)');
    expect(system.message).not.toContain(REPORT_BUG);
    const docker = asFwprobeError(Object.assign(new Error('(HTTP code 409) unexpected - Conflict. The container name is already in use'), { statusCode: 409 }));
    expect(docker.code).toBe('DOCKER_API_FAILED');
    expect(docker.message).toContain('The Docker engine refused a request (HTTP 409)');
  });

  it('says a thrown non-Error has no stack, and is still INTERNAL', () => {
    const error = asFwprobeError('boom');
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(`Internal error: a string was thrown, not an Error: boom\n  (no stack: the thrown value was not an Error)\n${REPORT_BUG}`);
  });

  it('gives a broken invariant found by fwprobe itself the stack of where it was found', () => {
    const error = new InternalError('no scanner for vantage peer');
    expect(error.detail).toBe('no scanner for vantage peer');
    expect(error.message.split('\n')[1]).toMatch(/^\s+at .*internal\.test\.ts:\d+:\d+/);
    expect(error.message.endsWith(REPORT_BUG)).toBe(true);
  });
});

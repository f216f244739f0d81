import { describe, expect, it } from 'vitest';
import { OutOfScopeTargetError } from '../model/errors.ts';
import { LabScope } from './scope.ts';

describe('LabScope', () => {
  it('allows only loopback of the matching family from the loopback vantage', () => {
    const scope = new LabScope();
    expect(() => scope.assertAllowed('127.0.0.1', 'loopback', 'ipv4')).not.toThrow();
    expect(() => scope.assertAllowed('::1', 'loopback', 'ipv6')).not.toThrow();
    expect(() => scope.assertAllowed('0:0::1', 'loopback', 'ipv6')).not.toThrow();
    expect(() => scope.assertAllowed('::1', 'loopback', 'ipv4')).toThrow(OutOfScopeTargetError);
    expect(() => scope.assertAllowed('127.0.0.2', 'loopback', 'ipv4')).toThrow(/only 127\.0\.0\.1/);
  });

  it('refuses peer targets that the lab did not register, private or public', () => {
    const scope = new LabScope();
    scope.allowLabAddress('172.29.0.2', 'ipv4');
    scope.allowLabAddress('fd00:fb:1::2', 'ipv6');
    expect(() => scope.assertAllowed('172.29.0.2', 'peer', 'ipv4')).not.toThrow();
    expect(() => scope.assertAllowed('fd00:fb:1:0::2', 'peer', 'ipv6')).not.toThrow();
    for (const outside of ['172.29.0.3', '10.0.0.1', '192.168.1.1', '8.8.8.8', 'example.com', '127.0.0.1']) {
      expect(() => scope.assertAllowed(outside, 'peer', 'ipv4')).toThrow(OutOfScopeTargetError);
    }
    expect(() => scope.assertAllowed('2001:db8::1', 'peer', 'ipv6')).toThrow(/not the address of a container/);
    // A registered address is not valid for the other family.
    expect(() => scope.assertAllowed('172.29.0.2', 'peer', 'ipv6')).toThrow(OutOfScopeTargetError);
  });

  it('rejects registering something that is not an address of the stated family', () => {
    const scope = new LabScope();
    expect(() => scope.allowLabAddress('fd00::1', 'ipv4')).toThrow(/Not an ipv4 address/);
    expect(() => scope.allowLabAddress('host.example', 'ipv6')).toThrow(OutOfScopeTargetError);
  });
});

/**
 * `docker run -p` strings as the `docker:` block reads them: every form Docker documents, and hostile or
 * sloppy input refused with a reason rather than passed to docker run.
 */
import { describe, expect, test } from 'vitest';
import { parsePublish, publishFlag } from './docker-publish.ts';

describe('parsePublish', () => {
  test.each([
    ['8080:80', { hostIp: null, host: { from: 8080, to: 8080 }, container: { from: 80, to: 80 }, protocol: 'tcp' }],
    ['127.0.0.1:5432:5432', { hostIp: '127.0.0.1', host: { from: 5432, to: 5432 }, container: { from: 5432, to: 5432 }, protocol: 'tcp' }],
    ['[::]:8443:443/tcp', { hostIp: '::', host: { from: 8443, to: 8443 }, container: { from: 443, to: 443 }, protocol: 'tcp' }],
    ['[FD00:0::1]:53:53/udp', { hostIp: 'fd00::1', host: { from: 53, to: 53 }, container: { from: 53, to: 53 }, protocol: 'udp' }],
    ['5353:53/udp', { hostIp: null, host: { from: 5353, to: 5353 }, container: { from: 53, to: 53 }, protocol: 'udp' }],
    ['8000-8001:80-81', { hostIp: null, host: { from: 8000, to: 8001 }, container: { from: 80, to: 81 }, protocol: 'tcp' }],
  ])('%s', (text, parsed) => {
    expect(parsePublish(text)).toEqual(parsed);
  });

  test.each([
    ['80', /random port/],
    ['127.0.0.1::80', /random port/],
    ['8000-8010:80', /Docker would pick any free port/],
    ['8000-8002:80-81', /same size/],
    ['8080:80/sctp', /\/tcp or \/udp/],
    ['8080:80/tcp/udp', /one \/protocol/],
    ['0:80', /host port 1-65535/],
    ['8080:65536', /container port 1-65535/],
    ['8080:0080x', /container port/],
    ['8081-8080:81-80', /low to high/],
    ['::1:8080:80', /in brackets/],
    ['[::1:8080:80', /closing \]/],
    ['[10.0.0.1]:8080:80', /IPv6 address in brackets/],
    ['[::1]8080:80', /":" after/],
    ['localhost:8080:80', /IPv4 host address/],
    ['999.1.1.1:8080:80', /IPv4 host address/],
    ['8080:80 --privileged', /without spaces/],
    ['8080:80\n-v/:/host', /without spaces/],
    ['\u001b[2J8080:80', /printable/],
    ['-v=/:/x', /one \/protocol/],
    ['-v=x:80', /host port/],
    ['1'.repeat(200), /at most 100 characters/],
    ['', /printable/],
  ])('refuses %j', (text, reason) => {
    const parsed = parsePublish(text);
    expect(parsed).toHaveProperty('problem');
    expect('problem' in parsed && parsed.problem).toMatch(reason);
  });

  test('the flag passed to docker run is rebuilt from the parts, canonical and with its protocol', () => {
    const flag = (text: string) => {
      const parsed = parsePublish(text);
      if ('problem' in parsed) throw new TypeError(parsed.problem);
      return publishFlag(parsed);
    };
    expect(flag('8080:80')).toBe('8080:80/tcp');
    expect(flag('[0:0::0]:8443:443')).toBe('[::]:8443:443/tcp');
    expect(flag('127.0.0.1:5432:5432')).toBe('127.0.0.1:5432:5432/tcp');
    expect(flag('8000-8001:80-81/udp')).toBe('8000-8001:80-81/udp');
  });
});

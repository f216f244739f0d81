import { describe, expect, it } from 'vitest';
import { listenerSpec, missingServices, parseSsListening } from './listening.ts';

// `ss -Hlntu` inside the target with `fwprobe-listener tcp:22:any tcp:80:any4 tcp:443:any6 tcp:8080:::1 udp:53:any`.
const SS = `udp   UNCONN 0      0                  *:53              *:*
tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*
tcp   LISTEN 0      128                *:22              *:*
tcp   LISTEN 0      128             [::]:443          [::]:*
tcp   LISTEN 0      128            [::1]:8080         [::]:*
`;

describe('listening sockets', () => {
  it('parses ss output', () => {
    expect(parseSsListening(SS)).toEqual([
      { protocol: 'udp', address: '*', port: 53 },
      { protocol: 'tcp', address: '0.0.0.0', port: 80 },
      { protocol: 'tcp', address: '*', port: 22 },
      { protocol: 'tcp', address: '[::]', port: 443 },
      { protocol: 'tcp', address: '[::1]', port: 8080 },
    ]);
  });

  it('reports services whose families or address are not served', () => {
    const sockets = parseSsListening(SS);
    const services = [
      { protocol: 'tcp' as const, port: 22, bind: 'any' },
      { protocol: 'tcp' as const, port: 80, bind: 'any' }, // only IPv4 listens
      { protocol: 'tcp' as const, port: 443, bind: 'any6' },
      { protocol: 'tcp' as const, port: 8080, bind: '::1' },
      { protocol: 'udp' as const, port: 22, bind: 'any' }, // wrong protocol
      { protocol: 'udp' as const, port: 53, bind: 'any' },
    ];
    expect(missingServices(services, sockets).map(listenerSpec)).toEqual(['tcp:80:any', 'udp:22:any']);
  });
});

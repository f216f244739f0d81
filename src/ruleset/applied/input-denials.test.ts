/** The input path's rules that deny a published port by name, found through ufw's jumps, per family and protocol. */
import { describe, expect, it } from 'vitest';
import { notOnPath } from './input-denials.ts';

// ufw's shape (INPUT → ufw-before-input → ufw-user-input) beside Docker's FORWARD chains and its DNAT.
const V4 = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':DOCKER - [0:0]',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80',
  'COMMIT',
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':DOCKER - [0:0]',
  ':ufw-before-input - [0:0]',
  ':ufw-user-input - [0:0]',
  ':unused - [0:0]',
  '-A INPUT -j ufw-before-input',
  '-A FORWARD -o docker0 -j DOCKER',
  '-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT',
  '-A ufw-before-input -i lo -j ACCEPT',
  '-A ufw-before-input -j ufw-user-input',
  '-A ufw-user-input -p tcp -m tcp --dport 8080 -j DROP',
  '-A ufw-user-input -p udp -m udp --dport 8000:8090 -j REJECT --reject-with icmp-port-unreachable',
  '-A ufw-user-input -p tcp -m tcp --dport 8080 -j ACCEPT',
  '-A unused -p tcp -m tcp --dport 8080 -j DROP',
  'COMMIT',
].join('\n');

describe('notOnPath', () => {
  it('names the ufw rule that denies the port, with the chains from INPUT, and not a rule off the input path', () => {
    expect(notOnPath({ v4: V4, v6: '' }, { family: 'ipv4', protocol: 'tcp', port: 8080 })).toBe(
      'filter INPUT → ufw-before-input → ufw-user-input: `-A ufw-user-input -p tcp -m tcp --dport 8080 -j DROP` denies 8080/tcp on INPUT: not on this path',
    );
  });

  it('reads ranges and REJECT per protocol, and says nothing where no rule names the port or the family has none', () => {
    expect(notOnPath({ v4: V4, v6: '' }, { family: 'ipv4', protocol: 'udp', port: 8081 })).toMatch(/^filter INPUT → ufw-before-input → ufw-user-input: `-A ufw-user-input -p udp .* REJECT/);
    expect(notOnPath({ v4: V4, v6: '' }, { family: 'ipv4', protocol: 'tcp', port: 8081 })).toBeNull();
    expect(notOnPath({ v4: V4, v6: '' }, { family: 'ipv6', protocol: 'tcp', port: 8080 })).toBeNull();
    // FORWARD's DOCKER accept and the DNAT are not the input path, and an accept is no denial.
    expect(notOnPath({ v4: V4, v6: '' }, { family: 'ipv4', protocol: 'tcp', port: 80 })).toBeNull();
  });
});

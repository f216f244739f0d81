import { describe, expect, it } from 'vitest';

import { PresetError } from '../model/errors.ts';
import { generateRuleset, listPresets } from './index.ts';
import { parsePolicy } from './policy-load.ts';

const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('-A '));

describe('presets', () => {
  it('lists the book presets', () => {
    expect(listPresets()).toEqual(['book-2007', 'book-2009']);
  });

  it('book-2007 keeps the book order on INPUT and has no IPv6 side', () => {
    const out = generateRuleset({ preset: 'book-2007' });
    expect(out.v6).toBeNull();
    expect(out.ir.v6).toBeNull();
    expect(lines(out.v4).filter((l) => l.startsWith('-A INPUT'))).toEqual([
      '-A INPUT -m state --state INVALID -j LOG --log-prefix "DROP INVALID " --log-ip-options --log-tcp-options',
      '-A INPUT -m state --state INVALID -j DROP',
      '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -i eth0 ! -s 192.168.10.0/24 -j LOG --log-prefix "SPOOFED PKT "',
      '-A INPUT -i eth0 ! -s 192.168.10.0/24 -j DROP',
      '-A INPUT -i eth0 -p tcp -s 192.168.10.0/24 --dport 22 --syn -m state --state NEW -j ACCEPT',
      '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT',
      '-A INPUT ! -i lo -j LOG --log-prefix "DROP " --log-ip-options --log-tcp-options',
    ]);
    expect(out.v4).not.toMatch(/-[io] lo -j ACCEPT/);
    expect(out.v4).not.toMatch(/-[io] ! /);
  });

  it('book-2009 adds loopback ACCEPT after the LOG rules and DROP policies for IPv6', () => {
    const out = generateRuleset({ preset: 'book-2009' });
    const v4 = lines(out.v4);
    const input = v4.filter((l) => l.startsWith('-A INPUT'));
    expect(input.slice(-2)).toEqual(['-A INPUT ! -i lo -j LOG --log-prefix "DROP " --log-ip-options --log-tcp-options', '-A INPUT -i lo -j ACCEPT']);
    expect(v4.filter((l) => l.startsWith('-A OUTPUT')).slice(-2)).toEqual(['-A OUTPUT ! -o lo -j LOG --log-prefix "DROP " --log-ip-options --log-tcp-options', '-A OUTPUT -o lo -j ACCEPT']);
    expect(out.v6).toContain(':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\nCOMMIT');
    expect(lines(out.v6 ?? '')).toEqual([]);
  });

  it('takes the internal interface and INT_NET as parameters', () => {
    const out = generateRuleset({ preset: 'book-2009', params: { internal_interface: 'eth1', int_net: '172.30.0.0/16' } });
    expect(out.v4).toContain('-A INPUT -i eth1 ! -s 172.30.0.0/16 -j DROP');
    expect(out.v4).not.toContain('192.168.10.0/24');
  });

  it('rejects unknown presets, unknown parameters and bad values, listing the valid ones', () => {
    expect(() => generateRuleset({ preset: 'book-2010' })).toThrow('Unknown preset "book-2010". Valid presets: book-2007, book-2009.');
    expect(() => generateRuleset({ preset: 'book-2007', params: { iface: 'eth1' } })).toThrow(/Unknown parameter "iface" for preset book-2007\. Valid parameters: internal_interface .*; int_net /);
    expect(() => generateRuleset({ preset: 'book-2007', params: { int_net: 'fd00::/64' } })).toThrow(/parameter int_net: expected an IPv4 address or CIDR, got "fd00::\/64", which is IPv6/);
    expect(() => generateRuleset({ preset: 'book-2007', params: { internal_interface: 'eth0 ;id' } })).toThrow(PresetError);
    expect(() => generateRuleset({ preset: 'book-2007', policy: parsePolicy({}, 'p') })).toThrow(/not both/);
    expect(() => generateRuleset({})).toThrow(/Give a policy or a preset/);
  });
});

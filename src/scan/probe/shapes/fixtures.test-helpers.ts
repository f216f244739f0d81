/** Topology pieces the shape generators' tests share: one segment a peer and the target are on. */
import type { InterfaceSpec } from '../../../model/topology.ts';
import type { Segment } from './segment.ts';

export const TARGET_WAN: InterfaceSpec = { name: 'eth0', network: 'wan', ipv4: '203.0.113.1', ipv6: '2001:db8:113::1' };
export const TARGET_LAN: InterfaceSpec = { name: 'eth1', network: 'lan', ipv4: '192.168.10.1', ipv6: 'fd10:10::1' };
export const PEER_WAN: InterfaceSpec = { name: 'eth0', network: 'wan', ipv4: '203.0.113.7', ipv6: '2001:db8:113::7' };
export const SEGMENT: Segment = { kind: 'public', peer: PEER_WAN, target: TARGET_WAN };

/**
 * Narrowing nmap's XML as xml2js gives it (children are arrays, attributes under `$`, an empty element is
 * '' and every value a string) into checked nodes, attributes and counts. A shape problem is an
 * NmapXmlShapeError (model/errors/scan.ts), which the run parser turns into an NMAP_XML_INVALID error with the command and its output.
 */
import { parseStringPromise } from 'xml2js';
import { NmapXmlShapeError, PortSpecError, type CommandOutcome } from '../../model/errors.ts';
import { nmapErrors } from '../nmap-errors.ts';
import { PORT_STATES, type PortState } from '../../model/observation.ts';
import { parsePortSpec } from '../../model/ports.ts';

export type XmlNode = Record<string, unknown>;

export async function parseXml(stdout: string, run: CommandOutcome): Promise<XmlNode> {
  if (stdout.trim() === '') throw nmapErrors.truncated('stdout is empty', run);
  let doc: unknown;
  try {
    doc = await parseStringPromise(stdout);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.replaceAll('\n', ' ') : String(cause);
    if (!stdout.includes('</nmaprun>')) {
      throw nmapErrors.truncated(`no closing </nmaprun>; XML parser: ${detail}`, run, { cause });
    }
    throw nmapErrors.xml(`not well-formed XML (${detail})`, run, { cause });
  }
  if (!isRecord(doc) || !('nmaprun' in doc)) {
    throw nmapErrors.xml('the root element is not <nmaprun>', run);
  }
  try {
    return asNode(doc.nmaprun, 'nmaprun');
  } catch (error) {
    throw nmapErrors.xml(error instanceof Error ? error.message : String(error), run, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNode(value: unknown, name: string): XmlNode {
  if (typeof value === 'string') return value === '' ? {} : { _: value };
  if (isRecord(value)) return value;
  throw new NmapXmlShapeError(`<${name}> is not an element`);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  const value = Object.hasOwn(node, name) ? node[name] : undefined;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new NmapXmlShapeError(`<${name}> is not a list of elements`);
  return value.map((item: unknown) => asNode(item, name));
}

export function firstChild(node: XmlNode, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

export function attr(node: XmlNode, name: string): string | undefined {
  const attrs = node.$;
  if (!isRecord(attrs) || !Object.hasOwn(attrs, name)) return undefined;
  const value = attrs[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireAttr(node: XmlNode, element: string, name: string): string {
  const value = attr(node, name);
  if (value === undefined) throw new NmapXmlShapeError(`<${element}> has no ${name}="…" attribute`);
  return value;
}

export function requireCount(node: XmlNode, element: string, name: string): number {
  const value = requireAttr(node, element, name);
  if (!/^\d+$/.test(value)) throw new NmapXmlShapeError(`<${element} ${name}="${value}"> is not a whole number`);
  return Number(value);
}

const NMAP_STATES: readonly PortState[] = PORT_STATES.filter((state) => state !== 'unreachable' && state !== 'delivered');

export function requireState(node: XmlNode, element: string): PortState {
  const value = requireAttr(node, element, 'state');
  const state = NMAP_STATES.find((known) => known === value);
  if (!state) throw new NmapXmlShapeError(`<${element} state="${value}"> is not a port state nmap defines`);
  return state;
}

export function readPortList(spec: string, element: string): number[] {
  try {
    return parsePortSpec(spec);
  } catch (error) {
    if (error instanceof PortSpecError) throw new NmapXmlShapeError(`<${element} ports="${spec}">: ${error.message}`);
    throw error;
  }
}

/**
 * nmap's own XML, kept beside the parsed result so a reader of the report can check fwprobe's reading
 * against nmap's words. Bounded: a sweep's XML is small (nmap collapses the majority into <extraports>), but
 * a ruleset that makes every port answer differently could make it megabytes, once per scan.
 */

/** The most of one run's XML kept in results. @default 64 KiB */
export const MAX_RAW_XML_CHARS = 64 * 1024;

/** `xml` as kept: whole, or cut at the bound with a comment saying how much is left out. */
export function keepRawXml(xml: string, max = MAX_RAW_XML_CHARS): string {
  if (xml.length <= max) return xml;
  return `${xml.slice(0, max)}\n<!-- fwprobe: ${xml.length - max} more characters left out (kept at most ${max}) -->\n`;
}

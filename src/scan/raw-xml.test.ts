/** nmap's XML is kept whole when small, and cut with a note when a ruleset makes it huge. */
import { describe, expect, it } from 'vitest';
import { keepRawXml, MAX_RAW_XML_CHARS } from './raw-xml.ts';

describe('keepRawXml', () => {
  it('keeps a normal run whole and cuts a huge one at the bound, saying how much is left out', () => {
    expect(keepRawXml('<nmaprun/>')).toBe('<nmaprun/>');
    const huge = `<nmaprun>${'<port protocol="tcp" portid="1"><state state="open"/></port>'.repeat(50_000)}</nmaprun>`;
    const kept = keepRawXml(huge);
    expect(kept.length).toBeLessThan(MAX_RAW_XML_CHARS + 200);
    expect(kept).toContain(`<!-- fwprobe: ${huge.length - MAX_RAW_XML_CHARS} more characters left out (kept at most ${MAX_RAW_XML_CHARS}) -->`);
  });
});

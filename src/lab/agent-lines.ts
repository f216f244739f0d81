/**
 * Cuts the agent's stdout into lines. One reply is one line, tens of MB for a large output, arriving in
 * chunks of 64 KB: appending each chunk to one string and searching it again from the start flattened and
 * scanned the whole line at every chunk, which made a 30 MB output outlive a 120 s bound. Here each chunk
 * is searched once and the pieces are joined once, when the line ends.
 */
export class LineSplitter {
  #pieces: string[] = [];

  /** The lines this chunk completes, in order; what follows its last newline waits for the next chunk. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      this.#pieces.push(chunk.slice(start, nl));
      lines.push(this.#pieces.join(''));
      this.#pieces = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.#pieces.push(chunk.slice(start));
    return lines;
  }
}

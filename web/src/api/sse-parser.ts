// A Server-Sent Events parser (the WHATWG rules): bytes arrive in arbitrary chunks, so a frame, a line
// or even a UTF-8 character may be split across two reads. Pure: feed text in, get whole events out.

export interface SseFrame {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];

  /** Adds decoded text; returns the events it completed. */
  feed(text: string): SseFrame[] {
    this.buffer += text;
    const frames: SseFrame[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** The stream ended: a final event without its blank line is dispatched (lenient), a partial line is not. */
  end(): SseFrame[] {
    const frames: SseFrame[] = [];
    if (this.buffer !== '') {
      const frame = this.line(this.buffer);
      this.buffer = '';
      if (frame) frames.push(frame);
    }
    const last = this.line('');
    if (last) frames.push(last);
    return frames;
  }

  private line(line: string): SseFrame | null {
    if (line === '') {
      if (this.dataLines.length === 0) {
        this.eventName = '';
        return null;
      }
      const frame = { event: this.eventName || 'message', data: this.dataLines.join('\n') };
      this.eventName = '';
      this.dataLines = [];
      return frame;
    }
    if (line.startsWith(':')) return null; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);
    return null;
  }
}

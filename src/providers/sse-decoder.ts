// Server-sent events, incrementally: text pieces of any size in, whole events out. The WHATWG
// EventSource parsing rules for what providers send (event and data fields, LF / CRLF / CR line ends,
// comments, one optional space after the colon), without the stream machinery: one string scan per
// piece, and a callback per event instead of an object through a TransformStream.
export type OnSseEvent = (event: string, data: string) => void;

export class SseDecoder {
  #rest = '';
  #event = '';
  #data = '';
  #hasData = false;
  #pendingCr = false;

  /** Feeds one decoded text piece; calls `onEvent` for every event it completes. */
  push(text: string, onEvent: OnSseEvent): void {
    const input = this.#rest === '' ? text : this.#rest + text;
    this.#rest = '';
    let start = 0;
    // A CR ending the previous piece may be the first half of a CRLF.
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (input.charCodeAt(0) === 10) start = 1;
    }
    const length = input.length;
    while (start < length) {
      let end = start;
      let code = 0;
      while (end < length) {
        code = input.charCodeAt(end);
        if (code === 10 || code === 13) break;
        end++;
      }
      if (end === length) break; // an unfinished line: kept for the next piece
      this.#line(input, start, end, onEvent);
      if (code === 13) {
        if (end + 1 === length) {
          this.#pendingCr = true;
          start = length;
          break;
        }
        start = input.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    if (start < length) this.#rest = input.slice(start);
  }

  /** The body ended: a last event without its closing blank line is still delivered (lenient: a proxy may drop it). */
  end(onEvent: OnSseEvent): void {
    if (this.#rest !== '') {
      const rest = this.#rest;
      this.#rest = '';
      this.#line(rest, 0, rest.length, onEvent);
    }
    this.#dispatch(onEvent);
  }

  #line(input: string, start: number, end: number, onEvent: OnSseEvent): void {
    if (start === end) {
      this.#dispatch(onEvent);
      return;
    }
    const first = input.charCodeAt(start);
    if (first === 58) return; // ":" — a comment (keep-alive)
    let colon = input.indexOf(':', start);
    if (colon === -1 || colon > end) colon = end;
    const field = input.slice(start, colon);
    let valueStart = colon === end ? end : colon + 1;
    if (valueStart < end && input.charCodeAt(valueStart) === 32) valueStart++;
    const value = input.slice(valueStart, end);
    if (field === 'data') {
      this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
      this.#hasData = true;
    } else if (field === 'event') {
      this.#event = value;
    }
    // id and retry mean nothing for a one-shot model call.
  }

  #dispatch(onEvent: OnSseEvent): void {
    if (this.#hasData) {
      const event = this.#event;
      const data = this.#data;
      this.#event = '';
      this.#data = '';
      this.#hasData = false;
      onEvent(event, data);
    } else {
      this.#event = '';
    }
  }
}

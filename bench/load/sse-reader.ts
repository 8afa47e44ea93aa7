// Incremental server-sent-events parsing for the load generator: bytes in, {event, data} out.

export interface SseEvent {
  event: string;
  data: string;
}

/** Feeds chunks of an SSE stream; returns the events completed by each chunk. */
export class SseReader {
  #buffer = '';

  push(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const events: SseEvent[] = [];
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
      end = this.#buffer.indexOf('\n\n');
    }
    return events;
  }
}

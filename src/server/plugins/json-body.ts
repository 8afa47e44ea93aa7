// JSON bodies are parsed before any handler runs, but the contract puts "bad body" (400) after 401, 403
// and 404. So a body that is not valid JSON does not fail the request here: it becomes a MalformedBody
// marker, and parseInput() (server/validate.ts) answers 400 when the handler reaches that step.
// Oversized bodies still fail at once (413): they are never read into memory.
import type { FastifyInstance } from 'fastify';

export class MalformedBody {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

export function registerJsonBody(app: FastifyInstance): void {
  // Fastify's own parser, with the app's prototype-poisoning settings (poisoned JSON is a 400 too).
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error: Error | null, value?: unknown) => {
      if (!error) return done(null, value);
      const code = (error as { code?: string }).code;
      done(null, new MalformedBody(code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The JSON body is empty.' : 'The body is not valid JSON.'));
    });
  });
}

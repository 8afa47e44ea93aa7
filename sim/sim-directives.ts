// `[[sim:…]]` directives written into a user message: faults (`[[sim:429]]`) and script steering
// (`[[sim:no-tools]]`, `[[sim:call:run_query:{"sql":"SELECT 1"}]]`, `[[sim:steps:3]]`, `[[sim:words:300]]`).

const OPEN = '[[sim:';
const CLOSE = ']]';

/** The directives in `text`, in order, and the text without them. */
export function extractDirectives(text: string): { directives: string[]; text: string } {
  const directives: string[] = [];
  let rest = '';
  let from = 0;
  for (let at = text.indexOf(OPEN, from); at >= 0; at = text.indexOf(OPEN, from)) {
    const end = findClose(text, at + OPEN.length);
    if (end < 0) break;
    rest += text.slice(from, at);
    directives.push(text.slice(at + OPEN.length, end));
    from = end + CLOSE.length;
  }
  rest += text.slice(from);
  return { directives, text: rest.replace(/\s+/g, ' ').trim() };
}

// A `call:` directive carries JSON, which may itself contain "]]": take the first "]]" after which the
// JSON parses.
function findClose(text: string, start: number): number {
  let end = text.indexOf(CLOSE, start);
  if (!text.startsWith('call:', start)) return end;
  while (end >= 0) {
    const body = text.slice(start, end);
    const json = body.slice(body.indexOf(':', 'call:'.length) + 1);
    if (isJson(json)) return end;
    end = text.indexOf(CLOSE, end + 1);
  }
  return text.indexOf(CLOSE, start);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface SimScriptDirectives {
  noTools: boolean;
  calls: Array<{ name: string; input: unknown }>;
  steps: number | null;
  words: number | null;
}

export function isScriptDirective(token: string): boolean {
  return token === 'no-tools' || /^(call|steps|words):/.test(token);
}

/** Reads the script directives; an ill-formed one is an error message (answered as a 400). */
export function parseScriptDirectives(tokens: string[]): { ok: true; value: SimScriptDirectives } | { ok: false; message: string } {
  const value: SimScriptDirectives = { noTools: false, calls: [], steps: null, words: null };
  for (const token of tokens.filter(isScriptDirective)) {
    if (token === 'no-tools') {
      value.noTools = true;
      continue;
    }
    const [kind] = token.split(':', 1);
    const arg = token.slice((kind ?? '').length + 1);
    if (kind === 'call') {
      const colon = arg.indexOf(':');
      const name = colon < 0 ? arg : arg.slice(0, colon);
      const json = colon < 0 ? '{}' : arg.slice(colon + 1);
      if (!/^[A-Za-z0-9_.-]+$/.test(name) || !isJson(json)) {
        return { ok: false, message: `simulator: bad directive [[sim:${token}]] (expected call:<tool>:<json object>)` };
      }
      value.calls.push({ name, input: JSON.parse(json) });
    } else {
      const n = Number(arg);
      if (!Number.isInteger(n) || n < 0 || n > 100_000) {
        return { ok: false, message: `simulator: bad directive [[sim:${token}]] (expected ${kind}:<count>)` };
      }
      if (kind === 'steps') value.steps = n;
      else value.words = n;
    }
  }
  return { ok: true, value };
}

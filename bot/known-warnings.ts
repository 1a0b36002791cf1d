/**
 * restify 11 loads spdy, which reads process.binding('http_parser') twice at import, so Node prints DEP0111 twice
 * at every start (../shared/reference/toolchain-facts.md: restify 12 no longer does, but declares Node 22). The
 * warning is kept, once: it is true and names the dependency to upgrade. Imported first by bot/main.ts, before
 * anything loads restify.
 */
const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
let dep0111Shown = false;

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[1] === 'string' ? rest[1] : (rest[0] as { code?: string } | undefined)?.code;
  if (code === 'DEP0111') {
    if (dep0111Shown) return;
    dep0111Shown = true;
  }
  emit(warning, ...rest);
}) as typeof process.emitWarning;

export {};

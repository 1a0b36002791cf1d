// Loaded with `node --import` into the Agents Playground, which has no host flag and listens on every
// interface: this forces every TCP listen() onto 127.0.0.1 so the local stack is never reachable from outside.
import net from 'node:net';
import process from 'node:process';

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

function loopbackArgs(args) {
  const [first, ...rest] = args;
  const callbacks = rest.filter((a) => typeof a === 'function');
  if (first === undefined || typeof first === 'function') return [0, LOOPBACK, ...args.filter((a) => typeof a === 'function')];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return [Number(first), LOOPBACK, ...callbacks];
  if (first && typeof first === 'object' && !('path' in first) && !('fd' in first) && !('_handle' in first)) {
    return [{ ...first, host: LOOPBACK }, ...rest];
  }
  return args; // Unix socket paths and inherited handles are not network-reachable as such.
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  return originalListen.apply(this, loopbackArgs(args));
};

// Started by scbot, stdin is a pipe from the parent: its end means the parent is gone (even after a SIGKILL
// or a crash), and an orphaned playground would keep its port and keep talking to a dead bot.
if (process.env.SCBOT_EXIT_WITH_PARENT === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

import { nearbyCodes } from '../../server/rooms/roomModel';

/**
 * An attacker's plan of pairing-code guesses, one list per socket, 1,000 in all over 40 sockets
 * by default: wrong guesses (none a slip of the finger away from a live code, so no live code is
 * killed on the way), and on the first `live.length` sockets a live code as the last guess. If
 * every guess were checked, every live code would be found.
 */
export function guessPlan(live: string[], sockets = 40, perSocket = 25): string[][] {
  const near = new Set(live.flatMap((c) => [c, ...nearbyCodes(c)]));
  const wrong: string[] = [];
  for (let n = 0; wrong.length < sockets * perSocket - live.length; n += 7919) {
    const guess = String(n % 1_000_000).padStart(6, '0');
    if (!near.has(guess)) wrong.push(guess);
  }
  const plan: string[][] = [];
  let next = 0;
  for (let i = 0; i < sockets; i++) {
    const own = i < live.length ? perSocket - 1 : perSocket;
    plan.push([...wrong.slice(next, next + own), ...(i < live.length ? [live[i]!] : [])]);
    next += own;
  }
  return plan;
}

// zod's core alone: the first screen carries no schema, so the whole library stays in the
// screens that parse.
import { config } from 'zod/v4/core';

/**
 * Imported first by main.tsx, before any schema is built: zod otherwise probes `new Function`
 * once to see whether it may compile fast parsers, and the Content-Security-Policy (no
 * 'unsafe-eval', server/security/securityHeaders.ts) reports that probe as a violation even
 * though zod catches it. Jitless, zod parses the same payloads without trying.
 */
config({ jitless: true });

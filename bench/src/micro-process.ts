// `request.staticUrl` micro-benchmark, in its own process: a Tet app with one extra route
// whose view calls `request.staticUrl` in a loop on the live request it was given (the way a
// template calls it) and reports calls per second. Prints one JSON line and exits.
import type { AddressInfo } from 'node:net';
import { Response } from '@tet/core';
import { rawRequest } from '@tet/core/testing';
import { openFixture } from './fixture.js';
import { buildTetApp } from './servers/tet.js';
import { SITE_PACKAGE } from './site.js';

/** What the micro-benchmark prints. */
export interface MicroResult {
  /** Calls per second, one per sample. */
  readonly samples: number[];
  /** One generated URL, to show what was measured. */
  readonly example: string;
}

const SAMPLES = 7;
const SAMPLE_MS = 200;
const CHUNK = 10_000;

const fixture = openFixture(process.argv[2] ?? '');
const specs = fixture.pageAssets.map((asset) => `${SITE_PACKAGE}:assets/${asset}`);
const app = await buildTetApp(fixture, (config) => {
  config.addRoute('micro', '/micro');
  config.addView(
    (request) => {
      let sink = 0; // the lengths are summed so the calls cannot be optimised away
      const sample = (ms: number): number => {
        const start = process.hrtime.bigint();
        const until = start + BigInt(ms) * 1_000_000n;
        let calls = 0;
        let now = start;
        do {
          for (let i = 0; i < CHUNK; i++) sink += request.staticUrl(specs[i % specs.length]!).length;
          calls += CHUNK;
          now = process.hrtime.bigint();
        } while (now < until);
        return calls / (Number(now - start) / 1e9);
      };
      sample(SAMPLE_MS); // warm-up: let the JIT settle before anything is recorded
      const samples = Array.from({ length: SAMPLES }, () => sample(SAMPLE_MS));
      return Response.json({ samples, example: request.staticUrl(specs[0]!), sink } satisfies MicroResult & { sink: number });
    },
    { routeName: 'micro' },
  );
});
const server = await app.listen(0, '127.0.0.1');
try {
  const response = await rawRequest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '/micro', { timeout: 30_000 });
  if (response.status !== 200) throw new Error(`/micro answered ${response.status}: ${response.text}`);
  process.stdout.write(`${response.text}\n`);
} finally {
  server.close();
}

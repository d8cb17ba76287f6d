import { fork } from 'node:child_process';
import { startLoadGenerator } from './dist/src/loadgen.js';
const variants = process.argv.slice(2);
const load = await startLoadGenerator();
const res = Object.fromEntries(variants.map(v => [v, []]));
for (let round = 0; round < 4; round++) {
  for (const v of variants) {
    const child = fork(new URL('./v-server.tmp.mjs', import.meta.url), [v]);
    const { port } = await new Promise(r => child.once('message', r));
    const cpu = () => new Promise(r => { child.once('message', m => r(m.cpu)); child.send('cpu'); });
    const job = (s) => ({ base: `http://127.0.0.1:${port}`, requests: [{ path: '/x', headers: {} }], connections: 50, pipelining: 1, seconds: s, maxSeconds: 10 });
    await load.run(job(0.5));
    const c0 = await cpu(); const r = await load.run(job(1)); const c1 = await cpu();
    res[v].push([r.rps, (c1 - c0) / r.requests, r.clientCpuMicros]);
    child.kill();
  }
}
const med = a => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const v of variants) console.log(v.padEnd(8), Math.round(med(res[v].map(x => x[0]))), med(res[v].map(x => x[1])).toFixed(2), med(res[v].map(x => x[2])).toFixed(2));
await load.stop();

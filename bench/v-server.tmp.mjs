import { createServer } from 'node:http';
const variant = process.argv[2];
const body = process.env.SIZE ? '<p>café</p>'.repeat(Math.ceil(Number(process.env.SIZE) / 12)) : '404 Not Found\n\nThe resource could not be found.\n';
const headers = { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) };
const buf = Buffer.from(body);
const SIZE = Number(process.env.SIZE ?? 1024); const kb = Buffer.alloc(SIZE, 'a'); const kbHeaders = { 'content-type': 'text/css', etag: '"abcdefabcdefabcdef"', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': SIZE };
const kbLatin = kb.toString('latin1');
const server = createServer((req, res) => {
  if (variant === 'kb-end') { res.writeHead(200, kbHeaders); res.end(kb); return; }
  if (variant === 'kb-cork') { const s = res.socket; s.cork(); res.writeHead(200, kbHeaders); res.write(kb); s.uncork(); res.end(); return; }
  if (variant === 'kb-latin') { const s = res.socket; s.cork(); res.writeHead(200, kbHeaders); res.write(kb.toString('latin1'), 'latin1'); s.uncork(); res.end(); return; }
  if (variant === 'kb-latinc') { const s = res.socket; s.cork(); res.writeHead(200, kbHeaders); res.write(kbLatin, 'latin1'); s.uncork(); res.end(); return; }
  if (variant === 'empty') { res.writeHead(404, { 'content-length': 0 }); res.end(); return; }
  if (variant === 'endstr') { res.writeHead(404, headers); res.end(body); return; }
  if (variant === 'endbuf') { res.writeHead(404, headers); res.end(buf); return; }
  if (variant === 'cork') { const s = res.socket; s.cork(); res.writeHead(404, headers); res.write(body); s.uncork(); res.end(); return; }
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', () => { const u = process.cpuUsage(); process.send({ cpu: u.user + u.system }); });
process.on('disconnect', () => process.exit(0));

// The "image" cluster/checks/node-agent.sh runs on the node agent: `serve` answers HTTP on
// $PORT (GET /env/NAME gives that env var; /file?path=P a file's text), logs SIGTERM (and
// appends a line to $SIGTERM_FILE if set) and exits 0 on it unless IGNORE_SIGTERM=1;
// `fail [CODE]` exits with CODE (default 1) at once.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [mode = 'serve', code = '1'] = process.argv.slice(2);
if (mode === 'fail') {
  console.log(`failing with ${code}`);
  process.exit(Number(code));
}
const port = Number(process.env.PORT ?? '8080');
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body = 'ok';
  if (url.pathname.startsWith('/env/')) body = process.env[url.pathname.slice(5)] ?? '';
  if (url.pathname === '/file') body = readFileSync(url.searchParams.get('path') ?? '', 'utf8');
  res.end(body);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`serving on ${port} pid ${process.pid}`);
});
process.on('SIGTERM', () => {
  console.log('got SIGTERM');
  if (process.env.SIGTERM_FILE !== undefined)
    appendFileSync(process.env.SIGTERM_FILE, `${process.pid}\n`);
  if (process.env.IGNORE_SIGTERM === '1') return;
  server.close();
  process.exit(0);
});

// Raw HTTP/1.1 on one socket, for tests that check what a connection does after an answer.
import { connect } from 'node:net';

/** Sends GET requests one after another on one keep-alive connection; resolves with each raw answer. */
export function keepAliveExchange(base: string, paths: readonly string[], timeout = 5000): Promise<string[]> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const answers: string[] = [];
    let buffer = Buffer.alloc(0);
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => socket.destroy(new Error(`keepAliveExchange: no answer within ${timeout} ms after ${answers.length} answers`)), timeout);
    const send = () => socket.write(`GET ${paths[answers.length]} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        answers.push(buffer.subarray(0, end + 4 + length).toString('utf8'));
        buffer = buffer.subarray(end + 4 + length);
        if (answers.length === paths.length) {
          clearTimeout(timer);
          socket.destroy();
          resolve(answers);
          return;
        }
        send();
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`keepAliveExchange: the connection closed after ${answers.length} of ${paths.length} answers`));
    });
  });
}

/** Sends raw bytes on a new connection; resolves with everything received once the server closes it. */
export function sendRaw(base: string, bytes: string | Buffer, timeout = 5000): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let received = '';
    const timer = setTimeout(() => socket.destroy(new Error(`sendRaw: the connection is still open after ${timeout} ms: ${received}`)), timeout);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

// multipart/form-data bodies, parsed by busboy; files go to memory or to `tet.form.upload_dir`.
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { HTTPBadRequest } from './http-exceptions.js';
import { cutShort, Form, type FormLimits, tooLarge, type UploadedFile } from './forms.js';

/**
 * Reads a multipart body. Every stream error (a truncated body, a wrong boundary, a client
 * that leaves) becomes a 400 and every limit a 413; files written so far are then removed.
 * @example
 * const form = await readMultipart(request.raw, formLimits(request.registry))
 */
export function readMultipart(raw: IncomingMessage, limits: FormLimits): Promise<Form> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: raw.headers,
        defParamCharset: 'utf8',
        limits: { fields: limits.maxFields, fieldSize: limits.maxFieldSize, fieldNameSize: 1024, files: limits.maxFiles, fileSize: limits.maxFileSize },
      });
    } catch (error) {
      reject(new HTTPBadRequest(`The multipart body cannot be read: ${(error as Error).message}.`));
      return;
    }
    const fields = new URLSearchParams();
    const files: UploadedFile[] = [];
    const written: WriteStream[] = [];
    let pendingFiles = 0;
    let parsed = false;
    let done = false;

    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      raw.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => {}); // late errors from a parser we have given up on
      // Answered only once the files are gone: a client that sees the 4xx sees no file left.
      void Promise.all(written.map(removeWritten)).then(() => reject(error));
    };
    const finish = (): void => {
      if (!done && parsed && pendingFiles === 0) {
        done = true;
        resolve(new Form(fields, files));
      }
    };

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated) fail(tooLarge('A form field name is longer than 1024 bytes.'));
      else if (info.valueTruncated) fail(tooLarge(`The form field '${name}' is larger than ${limits.maxFieldSize} bytes (tet.form.max_field_size).`));
      else fields.append(name, value);
    });
    parser.on('file', (name, stream, info) => {
      pendingFiles++;
      const base = { fieldName: name, filename: info.filename ?? '', contentType: info.mimeType };
      stream.on('limit', () => fail(tooLarge(`The file '${info.filename}' is larger than ${limits.maxFileSize} bytes (tet.form.max_file_size).`)));
      stream.on('error', (error: Error) => fail(new HTTPBadRequest(`The multipart body is malformed: ${error.message}.`)));
      const stored = (file: UploadedFile): void => {
        pendingFiles--;
        if (stream.truncated) return; // the 'limit' handler has already failed the form
        files.push(file);
        finish();
      };
      if (limits.uploadDir === undefined) toMemory(stream, (data) => stored({ ...base, size: data.length, data, path: undefined }));
      else {
        const path = join(limits.uploadDir, `tet-upload-${randomUUID()}`);
        written.push(
          toDisk(
            stream,
            path,
            (size) => stored({ ...base, size, data: undefined, path }),
            (error) => fail(error),
          ),
        );
      }
    });
    parser.on('fieldsLimit', () => fail(tooLarge(`The form has more than ${limits.maxFields} fields (tet.form.max_fields).`)));
    parser.on('filesLimit', () => fail(tooLarge(`The form has more than ${limits.maxFiles} files (tet.form.max_files).`)));
    parser.on('error', (error: Error) => fail(new HTTPBadRequest(`The multipart body is malformed: ${error.message}.`)));
    parser.on('close', () => {
      parsed = true;
      finish();
    });
    raw.once('error', () => fail(cutShort()));
    raw.once('close', () => {
      if (!raw.readableEnded) fail(cutShort());
    });
    raw.pipe(parser);
  });
}

function toMemory(stream: Readable, done: (data: Buffer) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(Buffer.concat(chunks)));
}

function toDisk(stream: Readable, path: string, done: (size: number) => void, failed: (error: Error) => void): WriteStream {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  out.on('error', (error) => {
    stream.resume();
    failed(new Error(`An uploaded file could not be written to ${path}: ${error.message}`, { cause: error }));
  });
  out.on('finish', () => done(size));
  stream.pipe(out);
  return out;
}

// A file of a failed form is removed once its stream has let go of it (it may not be open yet).
function removeWritten(out: WriteStream): Promise<void> {
  const remove = (): Promise<void> => unlink(out.path).catch(() => {});
  if (out.closed) return remove();
  return new Promise((resolve) => {
    out.once('close', () => void remove().then(resolve));
    out.destroy();
  });
}

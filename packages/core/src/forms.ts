// Form bodies: `request.form()` for urlencoded and multipart bodies, and `request.params`.
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { readBodyText } from './body-text.js';
import { ConfigurationError, TetError } from './errors.js';
import { HTTPBadRequest, HTTPRequestEntityTooLarge, HTTPUnsupportedMediaType } from './http-exceptions.js';
import type { Registry } from './registry.js';

/** Limits on a form body; each has a setting (`tet.form.max_fields`, ...) and a safe default. */
export interface FormLimits {
  /** Fields (not files) in one form: `tet.form.max_fields`, default 1000. */
  readonly maxFields: number;
  /** Bytes in one field's value: `tet.form.max_field_size`, default 1 MiB. */
  readonly maxFieldSize: number;
  /** Files in one multipart form: `tet.form.max_files`, default 10. */
  readonly maxFiles: number;
  /** Bytes in one uploaded file: `tet.form.max_file_size`, default 10 MiB. */
  readonly maxFileSize: number;
  /** Bytes in a whole urlencoded body: `tet.max_body_size`, default 1 MiB. */
  readonly maxBodySize: number;
  /** Where uploaded files are written (`tet.form.upload_dir`); unset, they are kept in memory. */
  readonly uploadDir: string | undefined;
}

/** A file from a multipart form: in memory (`data`) or on disk (`path`, under `tet.form.upload_dir`). */
export interface UploadedFile {
  readonly fieldName: string;
  /** The name the browser gave, as sent (never use it as a path). */
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** The bytes, when files are kept in memory. */
  readonly data: Buffer | undefined;
  /** The file written under `tet.form.upload_dir`; removed once the response is sent, so move (rename) it to keep it. */
  readonly path: string | undefined;
}

/**
 * A parsed form body: its fields (as `URLSearchParams`, so repeated names keep every value)
 * and its files.
 * @example
 * const form = await request.form()
 * form.get('email'); form.getAll('tag'); form.file('avatar')?.data
 */
export class Form {
  readonly fields: URLSearchParams;
  readonly files: readonly UploadedFile[];

  constructor(fields: URLSearchParams = new URLSearchParams(), files: readonly UploadedFile[] = []) {
    this.fields = fields;
    this.files = files;
  }

  /** The first value of a field, or undefined. */
  get(name: string): string | undefined {
    return this.fields.get(name) ?? undefined;
  }

  /** Every value of a field, in order. */
  getAll(name: string): string[] {
    return this.fields.getAll(name);
  }

  /** The first file uploaded under a field name. */
  file(name: string): UploadedFile | undefined {
    return this.files.find((file) => file.fieldName === name);
  }
}

const DEFAULTS = { maxFields: 1000, maxFieldSize: 1024 * 1024, maxFiles: 10, maxFileSize: 10 * 1024 * 1024 };
const SETTING_NAMES = { maxFields: 'tet.form.max_fields', maxFieldSize: 'tet.form.max_field_size', maxFiles: 'tet.form.max_files', maxFileSize: 'tet.form.max_file_size' } as const;
const limitsCache = new WeakMap<Registry, FormLimits>();

/**
 * The form limits of an application, read from its settings once.
 * @example
 * formLimits(request.registry).maxFileSize
 */
export function formLimits(registry: Registry): FormLimits {
  let limits = limitsCache.get(registry);
  if (limits !== undefined) return limits;
  const settings = registry.settings;
  const read = (key: keyof typeof DEFAULTS): number => {
    const raw = settings[SETTING_NAMES[key]];
    if (raw === undefined || raw === '') return DEFAULTS[key];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new ConfigurationError(
        `The setting '${SETTING_NAMES[key]}' must be a whole number of ${key === 'maxFields' || key === 'maxFiles' ? 'items' : 'bytes'}; got ${JSON.stringify(raw)}.`,
        'TET_ERR_FORM_SETTINGS',
      );
    }
    return value;
  };
  const dir = settings['tet.form.upload_dir'];
  limits = {
    maxFields: read('maxFields'),
    maxFieldSize: read('maxFieldSize'),
    maxFiles: read('maxFiles'),
    maxFileSize: read('maxFileSize'),
    maxBodySize: Number(settings['tet.max_body_size'] ?? 1024 * 1024),
    uploadDir: typeof dir === 'string' && dir !== '' ? dir : undefined,
  };
  limitsCache.set(registry, limits);
  return limits;
}

function mediaType(raw: IncomingMessage): string {
  const header = raw.headers['content-type'];
  if (header === undefined) return '';
  const semi = header.indexOf(';');
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
}

function hasBody(raw: IncomingMessage): boolean {
  return raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] !== undefined && raw.headers['content-length'] !== '0');
}

/** Removes a form's files from `tet.form.upload_dir`; those the view moved away are already gone. */
export async function removeUploads(form: Form): Promise<void> {
  await Promise.all(form.files.map((file) => (file.path === undefined ? undefined : unlink(file.path).catch(() => {}))));
}

/** Whether the request says it carries a form: a form media type and a body. */
export function isFormRequest(raw: IncomingMessage): boolean {
  const type = mediaType(raw);
  return (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') && hasBody(raw);
}

/**
 * Parses the request body as a form: 400 when it is malformed or cut short, 413 past a limit,
 * 415 when it is not a form. A request without a body gives an empty form.
 * @example
 * const form = await readForm(request.raw, formLimits(request.registry))
 */
export function readForm(raw: IncomingMessage, limits: FormLimits): Promise<Form> {
  const type = mediaType(raw);
  if (type === 'application/x-www-form-urlencoded') return readUrlencoded(raw, limits);
  // busboy is loaded with the first multipart body: most applications start without needing it.
  if (type === 'multipart/form-data') return import('./multipart.js').then(({ readMultipart }) => readMultipart(raw, limits));
  if (type === '' && !hasBody(raw)) return Promise.resolve(new Form());
  return Promise.reject(new HTTPUnsupportedMediaType(`A form body is application/x-www-form-urlencoded or multipart/form-data, not ${type || 'untyped'}.`));
}

/** A 413 that closes the connection, so a client still uploading is not read to the end. */
export function tooLarge(detail: string): HTTPRequestEntityTooLarge {
  return new HTTPRequestEntityTooLarge(detail, { headers: { connection: 'close' } });
}

/** The 400 for a client that went away (or broke the stream) before its body was complete. */
export function cutShort(): HTTPBadRequest {
  return new HTTPBadRequest('The request body ended before it was complete (the client aborted the upload?).');
}

// The body is read as `request.text()` reads it (one rule for the size limit and for clients
// that leave), then parsed by URLSearchParams and held to the field limits.
async function readUrlencoded(raw: IncomingMessage, limits: FormLimits): Promise<Form> {
  const fields = new URLSearchParams(await readBodyText(raw, limits.maxBodySize));
  let count = 0;
  for (const [name, value] of fields) {
    if (++count > limits.maxFields) throw tooLarge(`The form has more than ${limits.maxFields} fields (tet.form.max_fields).`);
    if (Buffer.byteLength(value) > limits.maxFieldSize) throw tooLarge(`The form field '${name.slice(0, 100)}' is larger than ${limits.maxFieldSize} bytes (tet.form.max_field_size).`);
  }
  return new Form(fields);
}

/**
 * Pyramid's `request.params`: the query string and the parsed form, merged (query first).
 * Throws when the request carries a form that `await request.form()` has not read yet.
 * @example
 * await request.form(); request.params.get('q')
 */
export function mergeParams(raw: IncomingMessage, query: URLSearchParams, form: Form | undefined): URLSearchParams {
  if (form === undefined) {
    // A GET or HEAD body means nothing (RFC 9110 9.3.1): its params are the query, as in WebOb.
    if (isFormRequest(raw) && raw.method !== 'GET' && raw.method !== 'HEAD') {
      throw new TetError('request.params: this request carries a form body that has not been read yet; `await request.form()` first.', 'TET_ERR_FORM_UNREAD');
    }
    return query;
  }
  const params = new URLSearchParams(query);
  for (const [name, value] of form.fields) params.append(name, value);
  return params;
}

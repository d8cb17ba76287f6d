// The servers of the benchmark, loaded lazily so each process loads only its own framework
// (start-up time and memory are measured per server).
import type { Server } from 'node:http';
import type { Fixture } from '../fixture.js';

/** A started server, and anything the report should say about it (a pending feature). */
export interface Started {
  readonly server: Server;
  readonly notes: string[];
}

export const SERVER_NAMES = ['tet', 'sirv', 'fastify', 'express', 'raw'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** The peers Tet has to beat; `raw` is the ceiling, not a peer. */
export const PEERS: readonly ServerName[] = ['sirv', 'fastify', 'express'];

export const LABELS: Record<ServerName, string> = {
  tet: 'Tet',
  sirv: 'sirv',
  fastify: 'Fastify + @fastify/static',
  express: 'Express + serve-static',
  raw: 'raw node:http (ceiling)',
};

const loaders: Record<ServerName, () => Promise<{ start(fixture: Fixture): Promise<Started> }>> = {
  tet: () => import('./tet.js'),
  sirv: () => import('./sirv.js'),
  fastify: () => import('./fastify.js'),
  express: () => import('./express.js'),
  raw: () => import('./raw.js'),
};

export function isServerName(name: string): name is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(name);
}

/** Starts one server on 127.0.0.1, on a free port. */
export async function startServer(name: ServerName, fixture: Fixture): Promise<Started> {
  return (await loaders[name]()).start(fixture);
}

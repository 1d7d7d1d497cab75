import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A canned answer. A non-string body is sent as JSON. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What the server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers a request; `'hang'` never answers (the socket stays open until close()). */
export type Handler = (request: SeenRequest) => Reply | 'hang' | Promise<Reply | 'hang'>;

/**
 * A real HTTP server on 127.0.0.1 (port 0) whose routes a test programs, standing in for
 * Sentry, Statuspage, GitHub or a site under test. Every request is recorded.
 */
export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Sets (or replaces) the answer for a path, whatever the method. */
  route(path: string, answer: Handler | Reply | 'hang'): void;
  requests: SeenRequest[];
  close(): Promise<void>;
}

function send(res: ServerResponse, reply: Reply): void {
  const json = reply.body !== undefined && typeof reply.body !== 'string';
  const body = json ? JSON.stringify(reply.body) : ((reply.body as string | undefined) ?? '');
  res.writeHead(reply.status ?? 200, {
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...reply.headers,
  });
  res.end(body);
}

export async function startHttpServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const handler = routes.get(url.pathname);
      if (!handler) return send(res, { status: 404, body: 'no route' });
      void Promise.resolve(handler(seen)).then((reply) => {
        if (reply !== 'hang') send(res, reply);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (path, answer) => {
      routes.set(path, typeof answer === 'function' ? answer : () => answer);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound by us on 127.0.0.1, then closed. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}

/**
 * Sentry's organization issues endpoint: `total` issues served `perPage` at a time, with
 * the `Link` header Sentry sends (a next link on every page, `results="false"` past the end).
 */
export function sentryIssues(total: number, perPage = 2): Handler {
  return (req) => {
    const offset = Number((req.url.searchParams.get('cursor') ?? '0:0:0').split(':')[1]);
    const items = Array.from(
      { length: Math.max(0, Math.min(perPage, total - offset)) },
      (_, i) => ({
        id: String(offset + i + 1),
        title: `Error ${offset + i + 1}`,
      }),
    );
    const base = new URL(req.url);
    base.host = req.headers.host ?? base.host;
    const link = (cursor: string, rel: string, results: boolean): string => {
      const u = new URL(base);
      u.searchParams.set('cursor', cursor);
      return `<${u.toString()}>; rel="${rel}"; results="${results}"; cursor="${cursor}"`;
    };
    const next = `0:${offset + perPage}:0`;
    return {
      body: items,
      headers: {
        link: [
          link(`0:${Math.max(0, offset - perPage)}:1`, 'previous', offset > 0),
          link(next, 'next', offset + perPage < total),
        ].join(', '),
      },
    };
  };
}

/** A Statuspage `/api/v2/status.json` answer. */
export function statusPage(indicator: string, description = 'All Systems Operational'): Reply {
  return { body: { page: { id: 'x', name: 'Example' }, status: { indicator, description } } };
}

/** A GitHub search answer. */
export function githubSearch(total: number, incomplete = false): Reply {
  return { body: { total_count: total, incomplete_results: incomplete, items: [] } };
}

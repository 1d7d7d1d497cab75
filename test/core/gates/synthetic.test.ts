import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUrl, startHttpServer, type TestServer } from '../../helpers/http.js';
import { checkOne, stable } from './check.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});

const journey = () => ({
  steps: [
    { name: 'home', url: `${server.url}/`, expectText: 'Bienvenue' },
    {
      name: 'login',
      method: 'POST',
      url: `${server.url}/login`,
      body: 'email=a@example.com',
      contentType: 'application/x-www-form-urlencoded',
      expectStatus: 303,
    },
    { name: 'dashboard', url: `${server.url}/dashboard`, expectStatus: 200 },
  ],
});

function healthy(): void {
  server.route('/', {
    body: '<h1>Bienvenue sur la bêta</h1>',
    headers: { 'content-type': 'text/html' },
  });
  server.route('/login', { status: 303, headers: { location: '/dashboard' } });
  server.route('/dashboard', { body: 'ok' });
}

describe('synthetic gate', () => {
  it('passes when every step answers as expected, in order', async () => {
    healthy();
    server.requests.length = 0;
    expect(stable(await checkOne('synthetic', journey()))).toEqual({
      gate: 'synthetic',
      state: 'pass',
      detail: '3/3 steps passed',
      observed: 3,
    });
    // The redirect of step 2 was checked, not followed; step 3 was its own request.
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /',
      'POST /login',
      'GET /dashboard',
    ]);
    expect(server.requests[1]?.body).toBe('email=a@example.com');
    expect(server.requests[1]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('stops at the first failing step and names it', async () => {
    healthy();
    server.route('/login', { status: 500, body: 'boom' });
    server.requests.length = 0;
    expect(stable(await checkOne('synthetic', journey()))).toEqual({
      gate: 'synthetic',
      state: 'fail',
      detail: 'step 2/3 "login": expected HTTP 303, got 500',
      observed: 1,
    });
    expect(server.requests.map((r) => r.path)).toEqual(['/', '/login']);
  });

  it('fails when the expected text is missing', async () => {
    healthy();
    server.route('/', { body: '<h1>Maintenance</h1>' });
    const result = await checkOne('synthetic', journey());
    expect(result.detail).toBe('step 1/3 "home": "Bienvenue" not in the answer');
    expect(result.state).toBe('fail');
  });

  it('is ⚪ naming the step when it gets no answer: timeout or refused', async () => {
    healthy();
    server.route('/dashboard', 'hang');
    // Long enough for steps 1 and 2 to pass on a loaded machine before step 3 hangs.
    const hung = await checkOne('synthetic', journey(), { timeoutSeconds: 3 });
    expect(stable(hung)).toEqual({
      gate: 'synthetic',
      state: 'unknown',
      detail: 'timeout after 3s (step 3/3 "dashboard")',
      observed: null,
    });
    const down = await checkOne('synthetic', {
      steps: [{ name: 'home', url: `${await refusedUrl()}/` }],
    });
    expect(down.detail).toBe('step 1/1 "home": connection refused');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/web/paths';

/**
 * A signed-in client of one server process: every request the suite sends carries `cookie`
 * (the session cookie and the browser id the sign-in set), pages and JSON API alike.
 */
export interface Client {
  base: string;
  cookie: string;
}

/** The demo account the suite signs in as: the bureau approver, who may read and write the demo. */
const USERNAME = 'approver';

/** The approver's password, from the demo accounts file the server seeds (its passwords are public). */
function demoPassword(username: string): string {
  const file = path.join(projectRoot(__dirname), 'data', 'demo', 'accounts.json');
  const { users } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    users: Array<{ username: string; password: string }>;
  };
  const user = users.find((u) => u.username === username);
  if (!user) throw new Error(`no demo account ${username} in ${file}`);
  return user.password;
}

/** `name=value` of each Set-Cookie of `res`, merged over `jar` (a later value wins). */
function mergeCookies(jar: Map<string, string>, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * Signs in through the form as a browser does: GET /login (its CSRF token and cookies), then
 * POST /login, which must answer 303 with a `fm_session` cookie.
 * @throws Error naming the step and status when the sign-in does not succeed
 */
export async function signIn(base: string): Promise<Client> {
  const jar = new Map<string, string>();
  const form = await fetch(`${base}/login`, {
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const html = await form.text();
  if (form.status !== 200) throw new Error(`sign-in: GET /login answered ${form.status}`);
  mergeCookies(jar, form);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('sign-in: the form has no _csrf token');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({
      _csrf: token,
      username: USERNAME,
      password: demoPassword(USERNAME),
    }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  mergeCookies(jar, res);
  if (res.status !== 303 || !jar.get('fm_session'))
    throw new Error(`sign-in: POST /login answered ${res.status} without a session cookie`);
  return { base, cookie: cookieHeader(jar) };
}

/** The client with the cookies `res` set merged in (as a browser keeps them for the next request). */
export function withCookiesOf(client: Client, res: Response): Client {
  const jar = new Map<string, string>();
  for (const pair of client.cookie.split('; ')) {
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  mergeCookies(jar, res);
  return { base: client.base, cookie: cookieHeader(jar) };
}

/**
 * A request of the signed-in client: its cookies are sent and redirects are never followed, so
 * a 303 to /login (a session the server does not know) is seen as what it is, never as the
 * sign-in page's 200.
 */
export function send(client: Client, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(client.base + url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), cookie: client.cookie },
  });
}

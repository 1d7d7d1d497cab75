import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where Debian's dovecot-imapd puts the server (`.ci/run` installs it when missing). */
export const DOVECOT = '/usr/sbin/dovecot';
export const dovecotAvailable = fs.existsSync(DOVECOT);

/** A real Dovecot on 127.0.0.1 with one user and a Maildir, in a throw-away folder. */
export interface Dovecot {
  user: string;
  pass: string;
  /** Plain IMAP (STARTTLS offered when started with `tls`). */
  imapPort: number;
  /** Implicit TLS with a self-signed certificate; only with `tls`. */
  imapsPort: number | undefined;
  /** The user's Maildir: write messages into its new/. */
  maildir: string;
  /** Copies a message file into new/ as a delivery would. */
  deliver(file: string): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Dovecot's processes may not run as root: as root, its own users; else the caller. */
function accounts(): { internal: string; login: string; mail: string; uid: number; gid: number } {
  const me = os.userInfo();
  if (me.uid !== 0) return { internal: me.username, login: me.username, mail: me.username, ...me };
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).stdout);
  return { internal: 'dovecot', login: 'dovenull', mail: 'dovecot', uid: id('-u'), gid: id('-g') };
}

function config(dir: string, ports: { imap: number; imaps?: number }, tls: boolean): string {
  const who = accounts();
  const listener = (name: string, port: number, ssl: boolean) =>
    `  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n    ssl = ${ssl ? 'yes' : 'no'}\n  }`;
  return [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'first_valid_uid = 1',
    `default_internal_user = ${who.internal}`,
    `default_login_user = ${who.login}`,
    tls ? `ssl = yes\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem` : 'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/passwd\n}`,
    `userdb {\n  driver = static\n  args = uid=${who.uid} gid=${who.gid} home=${dir}/home/%u\n}`,
    'mail_location = maildir:~/Maildir',
    'service imap-login {',
    listener('imap', ports.imap, false),
    ...(ports.imaps === undefined ? [] : [listener('imaps', ports.imaps, true)]),
    '}',
    '',
  ].join('\n');
}

async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  throw new Error(`dovecot did not start on port ${port}:\n${text}`);
}

/** Starts Dovecot (`tls`: a self-signed certificate from openssl, imaps and STARTTLS). */
export async function startDovecot(options: { tls?: boolean } = {}): Promise<Dovecot> {
  const tls = options.tls === true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-dovecot-'));
  // Dovecot's unprivileged processes must reach their sockets under it.
  fs.chmodSync(dir, 0o755);
  const user = 'bounces';
  const pass = 'imap-s3cret';
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${pass}\n`);
  const maildir = path.join(dir, 'home', user, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp'])
    fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  const who = accounts();
  for (const p of [path.join(dir, 'home'), path.join(dir, 'home', user), maildir])
    fs.chownSync(p, who.uid, who.gid);
  for (const sub of ['new', 'cur', 'tmp']) fs.chownSync(path.join(maildir, sub), who.uid, who.gid);
  if (tls) makeCertificate(dir);
  const ports = { imap: await freePort(), imaps: tls ? await freePort() : undefined };
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, config(dir, ports, tls));
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(ports.imap, child, path.join(dir, 'dovecot.log'));
  let count = 0;
  return {
    ...{ user, pass, imapPort: ports.imap, imapsPort: ports.imaps, maildir },
    deliver(file) {
      count++;
      fs.copyFileSync(file, path.join(maildir, 'new', `${1764800000 + count}.M${count}P1.test`));
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function makeCertificate(dir: string): void {
  spawnSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
    ],
    { stdio: 'ignore' },
  );
  if (!fs.existsSync(path.join(dir, 'cert.pem'))) throw new Error('openssl made no certificate');
}

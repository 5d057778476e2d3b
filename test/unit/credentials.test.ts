// Index credentials: .netrc as Python reads it, user:password@ in URLs as pip splits it, and the
// store that sends them only to the origin they came with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialStore, parseNetrc, splitUrlCredentials, type Netrc } from '../../server/src/index/credentials';

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const entries = (netrc: Netrc) => Object.fromEntries(netrc.machines);

// Expected values below are what Python 3.11's netrc.netrc(file).hosts gives for the same text.
test('netrc: machines, login/user, password, account; later machines replace earlier ones', () => {
  const netrc = parseNetrc('machine a.example login alice password s3cret\nmachine b.example\n\tuser bob account acct\nmachine a.example password only\n');
  assert.deepEqual(entries(netrc), { 'a.example': { password: 'only' }, 'b.example': { login: 'bob', account: 'acct' } });
  assert.equal(netrc.default, undefined);
});

test('netrc: double quotes and backslash escapes', () => {
  const netrc = parseNetrc('machine "a b" login "x\\"y" password p\\ q\nmachine c password ""');
  assert.deepEqual(entries(netrc), { 'a b': { login: 'x"y', password: 'p q' }, c: { password: '' } });
});

test('netrc: macdef bodies run to the next blank line (CRLF too) and are skipped', () => {
  const text = 'macdef init\ncd /\nmachine fake login f\n\nmachine a login b\n';
  assert.deepEqual(entries(parseNetrc(text)), { a: { login: 'b' } });
  assert.deepEqual(entries(parseNetrc(text.replace(/\n/g, '\r\n'))), { a: { login: 'b' } });
  assert.deepEqual(entries(parseNetrc('machine a login b macdef m\nmachine c login d\n')), { a: { login: 'b' } });
});

test('netrc: default, wherever it stands', () => {
  const netrc = parseNetrc('default login d password dp\nmachine a login b\n');
  assert.deepEqual(netrc.default, { login: 'd', password: 'dp' });
  assert.deepEqual(entries(netrc), { a: { login: 'b' } });
});

test('netrc: # comments a line, or the rest of one after a token', () => {
  assert.deepEqual(entries(parseNetrc('# hi there\nmachine a login b # password x\npassword y\n#\nmachine c #x y z\nlogin d')), {
    a: { login: 'b', password: 'y' },
    c: { login: 'd' },
  });
  // A value is never a comment.
  assert.deepEqual(entries(parseNetrc('machine a password #secret login b')), { a: { password: '#secret', login: 'b' } });
});

test('netrc: malformed text keeps what can be read (Python would raise)', () => {
  assert.deepEqual(entries(parseNetrc('machine a login b port 21 password x\nbogus machine c login d\nmachine')), {
    a: { login: 'b', password: 'x' },
    c: { login: 'd' },
  });
  assert.deepEqual(entries(parseNetrc('machine a login b\n\n# a comment after a blank line\n')), { a: { login: 'b' } });
  assert.deepEqual(entries(parseNetrc('machine a login')), { a: { login: undefined } });
  assert.deepEqual(entries(parseNetrc('')), {});
});

test('URL credentials: split at the last @ and first colon, percent-decoded as pip does', () => {
  assert.deepEqual(splitUrlCredentials('https://us%40er:p%3Ass@host.example/simple/'), {
    url: 'https://host.example/simple/',
    credentials: { username: 'us@er', password: 'p:ss' },
  });
  assert.deepEqual(splitUrlCredentials('https://a@b:c:d@host.example:8443/x?y=@z'), {
    url: 'https://host.example:8443/x?y=@z',
    credentials: { username: 'a@b', password: 'c:d' },
  });
  assert.deepEqual(splitUrlCredentials('https://t%C3%B6ken%zz@host.example/'), { url: 'https://host.example/', credentials: { username: 'töken%zz', password: '' } });
});

test('URL credentials: none, or not a URL: unchanged', () => {
  assert.deepEqual(splitUrlCredentials('https://host.example/simple/?q=a@b'), { url: 'https://host.example/simple/?q=a@b' });
  assert.deepEqual(splitUrlCredentials('./wheels@2'), { url: './wheels@2' });
  assert.deepEqual(splitUrlCredentials('https://u:p@[not-ipv6/'), { url: 'https://u:p@[not-ipv6/' });
});

test('store: remembered credentials go to exactly their origin, and the URL comes back without them', () => {
  const store = new CredentialStore();
  assert.equal(store.remember('https://user:pw@Index.Example/simple/'), 'https://Index.Example/simple/');
  assert.equal(store.remember('https://token@files.example/links/'), 'https://files.example/links/');
  assert.equal(store.remember('https://other:creds@index.example/second/'), 'https://index.example/second/');
  assert.equal(store.remember('https://index.example:8443/plain/'), 'https://index.example:8443/plain/');
  assert.equal(store.authorizationFor('https://index.example/simple/demo/'), basic('user', 'pw'));
  assert.equal(store.authorizationFor('https://INDEX.example:443/files/demo.whl'), basic('user', 'pw'));
  assert.equal(store.authorizationFor('https://files.example/links/x.whl'), basic('token', ''));
  // Another port, another scheme, another host (a redirect target, a CDN, a look-alike): nothing.
  assert.equal(store.authorizationFor('https://index.example:8443/simple/'), undefined);
  assert.equal(store.authorizationFor('http://index.example/simple/'), undefined);
  assert.equal(store.authorizationFor('https://cdn.example/files/demo.whl'), undefined);
  assert.equal(store.authorizationFor('https://index.example.evil.test/simple/'), undefined);
  assert.equal(store.authorizationFor('file:///index.example/simple/'), undefined);
  assert.equal(store.authorizationFor('not a url'), undefined);
});

test('store: netrc by hostname whatever the port; default only when no machine matches; URL credentials first', () => {
  const netrc = parseNetrc('machine index.example login n password np\nmachine acct.example account a password ap\nmachine ::1 login six\ndefault login d password dp\n');
  const store = new CredentialStore({ netrc });
  store.remember('https://url:creds@index.example/simple/');
  assert.equal(store.authorizationFor('https://index.example/simple/'), basic('url', 'creds'));
  assert.equal(store.authorizationFor('http://index.example:8080/simple/'), basic('n', 'np'));
  assert.equal(store.authorizationFor('https://acct.example/'), basic('a', 'ap'));
  assert.equal(store.authorizationFor('http://[::1]:3141/root/'), basic('six', ''));
  assert.equal(store.authorizationFor('https://elsewhere.example/'), basic('d', 'dp'));
  assert.equal(new CredentialStore({ netrc: parseNetrc('machine index.example login n') }).authorizationFor('https://elsewhere.example/'), undefined);
});

// Credentials in index URLs are never shown: redactUrl splits the userinfo at the last `@` before
// the host, as Node's URL, urllib.parse.urlsplit and pip's redact_auth_from_url do, and every place
// that shows an index URL goes through it (errors, the effective index behind hover, `show`, the
// status bar and the logs, hovers of `name @ url`, document link tooltips, CLI messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { documentLinks } from '../../server/src/features/documentLinks';
import { hover } from '../../server/src/features/hover';
import { quoted } from '../../server/src/cli/args';
import { CredentialStore } from '../../server/src/index/credentials';
import { indexError } from '../../server/src/index/errors';
import type { HttpClient } from '../../server/src/index/http';
import { IndexClient, openIndex, type LocalFiles } from '../../server/src/index/packageIndex';
import { redactUrl } from '../../server/src/index/urls';

const SECRET_INDEX = 'http://alice:s3cr@tPW@host.example/simple/';
const REDACTED_INDEX = 'http://alice:****@host.example/simple/';

test('redactUrl: the userinfo ends at the last @ before the host; the password at its first colon', () => {
  assert.equal(redactUrl(SECRET_INDEX), REDACTED_INDEX);
  assert.equal(redactUrl('https://tok@en@host.example/simple/'), 'https://****@host.example/simple/');
  assert.equal(redactUrl('https://alice:pa:ss@host.example/'), 'https://alice:****@host.example/');
  assert.equal(redactUrl('https://alice:pa%40ss@host.example/'), 'https://alice:****@host.example/');
  assert.equal(redactUrl('https://alice:@host.example/'), 'https://alice:****@host.example/');
  // urlsplit ends the host at / ? # only, so everything up to the last @ before them is hidden.
  assert.equal(redactUrl('http://a:b@c\\@d.example/x'), 'http://a:****@d.example/x');
  assert.equal(redactUrl('https://host.example/simple/?a=b@c'), 'https://host.example/simple/?a=b@c');
  assert.equal(redactUrl('https://host.example/simple/x@y/'), 'https://host.example/simple/x@y/');
  assert.equal(redactUrl('https://host.example/simple/'), 'https://host.example/simple/');
});

const noHttp: HttpClient = {
  async fetch(request) {
    return { ok: false, error: indexError('not-found', request.url, `${request.url} answered 404: not found`, 404) };
  },
  async close() {},
};
const noFiles: LocalFiles = {
  kind: async () => 'missing',
  read: async () => ({ ok: false, reason: 'missing' }),
  list: async () => [],
  sha256: async () => ({ ok: false, reason: 'missing' }),
};

function secretIndex() {
  return openIndex(new IndexClient({ http: noHttp, files: noFiles, credentials: new CredentialStore() }), {
    indexUrls: [SECRET_INDEX, 'https://bob:x@y@extra.example/simple/'],
    findLinks: ['https://carol:p@ss@links.example/'],
    noIndex: false,
    source: 'settings',
  });
}

function assertNoSecret(shown: unknown): void {
  const text = JSON.stringify(shown);
  for (const secret of ['s3cr', 'tPW', 'x@y', 'p@ss']) assert.ok(!text.includes(secret), `${secret} shown in ${text}`);
}

test('errors, and the effective index that hover, `show`, the status bar and the logs show', async () => {
  const index = secretIndex();
  assert.equal(index.effective.primary, REDACTED_INDEX);
  assert.deepEqual(index.effective.extra, ['https://bob:****@extra.example/simple/']);
  assert.deepEqual(index.effective.findLinks, ['https://carol:****@links.example/']);
  const error = indexError('unreachable', SECRET_INDEX, `${redactUrl(SECRET_INDEX)} is unreachable`);
  assert.equal(error.url, REDACTED_INDEX);
  const result = await index.project('six');
  assertNoSecret({ effective: index.effective, error, result });
});

test('hovers: the index a project is looked up on, and a `name @ url` requirement', async () => {
  const text = `six==1.16.0\npkg @ http://alice:s3cr@tPW@host.example/pkg-1.0.tar.gz\n`;
  const analysis = analyzeDocument(TextDocument.create('file:///w/requirements.txt', 'pip-requirements', 1, text), '/w/requirements.txt');
  const onSix = await hover(analysis, 1, { index: secretIndex() });
  const onPkg = await hover(analysis, text.indexOf('pkg'), { index: secretIndex() });
  assert.match(JSON.stringify(onSix), /alice:\*\*\*\*@host\.example/);
  assert.match(JSON.stringify(onPkg), /Installed from `http:\/\/alice:\*\*\*\*@host\.example\/pkg-1\.0\.tar\.gz`/);
  assertNoSecret({ onSix, onPkg });
});

test('document link tooltips and CLI messages', () => {
  const text = '-r http://alice:s3cr@tPW@host.example/base.txt\n';
  const analysis = analyzeDocument(TextDocument.create('file:///w/requirements.txt', 'pip-requirements', 1, text), '/w/requirements.txt');
  const [link] = documentLinks(analysis, '/w/requirements.txt');
  assert.equal(link.tooltip, 'Open the included requirements file http://alice:****@host.example/base.txt');
  assert.equal(quoted(SECRET_INDEX), `'${REDACTED_INDEX}'`);
  assertNoSecret({ link: link.tooltip, quoted: quoted(SECRET_INDEX) });
});

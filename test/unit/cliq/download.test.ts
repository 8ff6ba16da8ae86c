import { describe, expect, it } from 'vitest';
import { parseContentDispositionFilename } from '../../../electron/core/cliq/contentDisposition';
import { redirectAllowed } from '../../../electron/core/cliq/http';
import { scriptedHttp } from '../../helpers/scriptedHttp';
import { vaultFailure } from '../../helpers/vaultFailure';

/** CliqHttp.download against a scripted fetch: the redirect rule and where the token goes. */

type Script = (url: URL, headers: Headers) => Response;

function client(apiBase: string, script: Script) {
  const calls: { url: string; authorization: string | null }[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    calls.push({ url: url.toString(), authorization: headers.get('authorization') });
    expect(init?.redirect).toBe('manual');
    return Promise.resolve(script(url, headers));
  };
  const http = scriptedHttp(apiBase, fetchImpl);
  const text = (path: string) => http.download({ family: 'files.get', path, rest: true }, async (body, meta) => ({ text: await new Response(body).text(), meta }));
  return { calls, text };
}

const redirect = (location: string) => new Response(null, { status: 302, headers: { location } });

describe('CliqHttp.download redirects', () => {
  it('follows https to another host without the token, and gives the body and headers', async () => {
    const { calls, text } = client('https://cliq.zoho.eu', (url) =>
      url.host === 'cliq.zoho.eu'
        ? redirect('https://files.example.net/obj?sig=1')
        : new Response('hello', { headers: { 'content-type': 'text/plain', 'content-length': '5', 'content-disposition': 'attachment; filename="a.txt"; filename*=UTF-8\'\'%C3%A9t%C3%A9.txt' } }),
    );
    const got = await text('/api/v2/files/abc');
    expect(got).toEqual({ text: 'hello', meta: { contentType: 'text/plain', contentLength: 5, filename: 'été.txt' } });
    expect(calls).toEqual([
      { url: 'https://cliq.zoho.eu/api/v2/files/abc', authorization: 'Zoho-oauthtoken secret' },
      { url: 'https://files.example.net/obj?sig=1', authorization: null },
    ]);
  });

  it('refuses a redirect to plain http on a real host, and fetches nothing there', async () => {
    const { calls, text } = client('https://cliq.zoho.eu', () => redirect('http://files.example.net/obj'));
    const error = await vaultFailure(text('/api/v2/files/abc'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('http://files.example.net');
    expect(calls.map((c) => c.url)).toEqual(['https://cliq.zoho.eu/api/v2/files/abc']);
  });

  it('refuses loopback http when the API base is https, and gives up after 3 hops', async () => {
    expect((await vaultFailure(client('https://cliq.zoho.eu', () => redirect('http://127.0.0.1:9/x')).text('/f'))).code).toBe('BAD_REQUEST');
    const loop = client('https://cliq.zoho.eu', (url) => redirect(`https://hop.example/${url.pathname.length}`));
    const error = await vaultFailure(loop.text('/f'));
    expect(error.message).toContain('more than 3 redirects');
    expect(loop.calls).toHaveLength(4);
  });

  it('the rule: https always; http only loopback to loopback; never credentials in the URL', () => {
    const https = new URL('https://cliq.zoho.com');
    const loop = new URL('http://127.0.0.1:4000');
    expect(redirectAllowed(new URL('https://x.example/a'), https)).toBe(true);
    expect(redirectAllowed(new URL('http://x.example/a'), https)).toBe(false);
    expect(redirectAllowed(new URL('http://127.0.0.1:5000/a'), loop)).toBe(true);
    expect(redirectAllowed(new URL('http://[::1]:5000/a'), loop)).toBe(true);
    expect(redirectAllowed(new URL('http://x.example/a'), loop)).toBe(false);
    expect(redirectAllowed(new URL('https://user:pw@x.example/a'), https)).toBe(false);
    expect(redirectAllowed(new URL('ftp://x.example/a'), https)).toBe(false);
  });

  it('a download host refusal is retried from the API; its 404 is NOT_FOUND', async () => {
    let n = 0;
    const { calls, text } = client('https://cliq.zoho.eu', (url) => {
      if (url.host === 'cliq.zoho.eu') return redirect(`https://files.example.net/${n++}`);
      return url.pathname === '/0' ? new Response('<Error>expired</Error>', { status: 403 }) : new Response('ok');
    });
    expect((await text('/f')).text).toBe('ok');
    expect(calls.map((c) => c.authorization !== null)).toEqual([true, false, true, false]);
    const gone = client('https://cliq.zoho.eu', (url) => (url.host === 'cliq.zoho.eu' ? redirect('https://files.example.net/x') : new Response('', { status: 404 })));
    expect((await vaultFailure(gone.text('/f'))).code).toBe('NOT_FOUND');
  });
});

describe('parseContentDispositionFilename', () => {
  it('prefers filename*, falls back to filename, keeps hostile names as data', () => {
    expect(parseContentDispositionFilename(null)).toBeUndefined();
    expect(parseContentDispositionFilename('attachment')).toBeUndefined();
    expect(parseContentDispositionFilename('attachment; filename="a \\"b\\".txt"')).toBe('a "b".txt');
    expect(parseContentDispositionFilename('attachment; filename=plain.txt')).toBe('plain.txt');
    expect(parseContentDispositionFilename('attachment; filename="__x.txt"; filename*=UTF-8\'\'..%2F..%2Fetc%2Fpasswd')).toBe('../../etc/passwd');
    expect(parseContentDispositionFilename("attachment; FILENAME*=iso-8859-1'en'%E9.txt")).toBe('é.txt');
    // Bad UTF-8 or a broken escape: the plain name.
    expect(parseContentDispositionFilename('attachment; filename="f.txt"; filename*=UTF-8\'\'%FF')).toBe('f.txt');
    expect(parseContentDispositionFilename('attachment; filename="f.txt"; filename*=UTF-8\'\'%G1')).toBe('f.txt');
    // An injected parameter inside the quoted name stays part of the name.
    expect(parseContentDispositionFilename('attachment; filename="x\\"; filename*=UTF-8\'\'evil"')).toBe("x\"; filename*=UTF-8''evil");
  });
});

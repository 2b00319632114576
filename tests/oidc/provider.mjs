// A real OpenID provider for mutua's single sign-on tests (tests/api/sign_on.rs): panva's
// oidc-provider (MIT), on a loopback port, with one confidential client and accounts whose
// id is an email. Its development sign-in and consent pages are left on: the tests fill
// them in over HTTP as a person would.
//
// Protocol with the test, one JSON line each way:
//   stdout: {"issuer": "http://127.0.0.1:PORT"}      once listening
//   stdin:  {"redirect_uri": "...", "client_id": "...", "client_secret": "...",
//            "accounts": {"email": email_verified, ...}}
//   stdout: {"ready": true}                           once the client is registered
// The process ends when its standard input closes (the test dropped it).
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

// Standard output carries the protocol alone; the test stops reading it once ready.
console.log = console.error;
console.info = console.error;

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  const lines = createInterface({ input: process.stdin });
  let started = false;
  lines.on('line', (line) => {
    if (started || !line.trim()) return;
    started = true;
    start(issuer, JSON.parse(line));
  });
  lines.on('close', () => process.exit(0));
});

function start(issuer, { redirect_uri, client_id, client_secret, accounts }) {
  // A signing key of this run, so that no key is shared between runs or with anyone.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `test-${Date.now()}`, use: 'sig', alg: 'RS256' };
  const provider = new Provider(issuer, {
    clients: [{
      client_id,
      client_secret,
      redirect_uris: [redirect_uri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['mutua single sign-on test provider cookie key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The scopes' claims in the ID token itself, as Keycloak and Entra ID put them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      if (!Object.hasOwn(accounts, id)) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: accounts[id], name: id.split('@')[0] };
        },
      };
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

// openid-client (npm, OAuth 2.0 and OpenID Connect) through the OAuth 2.0 interop steps; one JSON object
// per line. Configured by discovery (RFC 8414); it checks the callback's `iss` itself (RFC 9207) when the
// server says it sends one. {"authorize": URL} and {"device": USER_CODE} ask the harness to act as the
// user; the answer comes back on stdin.
import * as client from 'openid-client';
import {createRequire} from 'node:module';
import readline from 'node:readline';

const config = JSON.parse(process.argv.at(-1));
const lines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();
const {version} = createRequire(import.meta.url)('openid-client/package.json');

function emit(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
}

async function ask(message) {
  emit(message);
  return (await lines.next()).value.trim();
}

// The OAuth error code a failure carries (`error` of the body or the redirect), else what it says (with
// the underlying check's own words: openid-client wraps them).
async function errorOf(error) {
  if (error && error.error) return error.error;
  if (error && error.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE') {  // a 401: the body still says why
    const body = await error.response.json().catch(() => ({}));
    if (body.error) return body.error;
  }
  const cause = error && error.cause && error.cause.message ? ` (${error.cause.message})` : '';
  return error && error.code ? `${error.code}: ${error.message}${cause}` : String(error);
}

// Plain HTTP on loopback (the server `make run` starts): openid-client refuses it unless told.
const insecure = {execute: [client.allowInsecureRequests], algorithm: 'oauth2'};

async function api(configuration, token) {
  try {
    const response = await client.fetchProtectedResource(configuration, token.access_token,
      new URL(`${config.base}/v2`), 'GET');
    return {status: response.status, body: await response.json()};
  } catch (error) {
    if (error.status) return {status: error.status, body: await errorOf(error)};
    throw error;
  }
}

async function authorize(configuration, {decision = 'authorize', verifier} = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: config.redirect_uri, scope: config.scope, state,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  const callback = new URL(await ask({authorize: url.href, decision}));
  return {callback, checks: {pkceCodeVerifier: verifier || codeVerifier, expectedState: state}};
}

async function step(name, run) {
  try {
    emit({step: name, ...(await run())});
  } catch (error) {
    emit({step: name, failed: `${error.name}: ${await errorOf(error)}`});
  }
}

async function refused(name, run) {
  try {
    await run();
    emit({step: name, error: null});
  } catch (error) {
    emit({step: name, error: await errorOf(error), refused: true});
  }
}

async function main() {
  emit({library: 'openid-client', version});
  let configuration;
  try {
    configuration = await client.discovery(new URL(config.base), config.client_id, config.client_secret,
      undefined, insecure);
  } catch (error) {
    emit({step: 'discovery', failed: `${error.name}: ${await errorOf(error)}`});
    process.exit(0);
  }
  const metadata = configuration.serverMetadata();
  emit({step: 'discovery', metadata});
  emit({step: 'iss_advertised', metadata});

  let first; let token; let refreshed;
  await step('code_pkce', async () => {
    first = await authorize(configuration);
    token = await client.authorizationCodeGrant(configuration, first.callback, first.checks);
    return api(configuration, token);
  });
  await step('refresh', async () => {
    refreshed = await client.refreshTokenGrant(configuration, token.refresh_token);
    return {...(await api(configuration, refreshed)), rotated: refreshed.refresh_token !== token.refresh_token};
  });
  await step('client_credentials', async () =>
    api(configuration, await client.clientCredentialsGrant(configuration, {scope: config.scope})));
  await step('device', async () => {
    const codes = await client.initiateDeviceAuthorization(configuration, {scope: config.scope});
    await ask({device: codes.user_code});
    return api(configuration, await client.pollDeviceAuthorizationGrant(configuration, codes));
  });
  await step('introspect', async () => ({body: await client.tokenIntrospection(configuration, refreshed.access_token)}));
  await step('revoke', async () => {
    await client.tokenRevocation(configuration, refreshed.access_token);  // throws unless 200
    return {revoke_status: 200, ...(await api(configuration, refreshed))};
  });
  await refused('reused_code', () => client.authorizationCodeGrant(configuration, first.callback, first.checks));
  await refused('bad_secret', () => {
    const wrong = new client.Configuration(metadata, config.client_id, 'a-wrong-secret');
    client.allowInsecureRequests(wrong);
    return client.clientCredentialsGrant(wrong, {scope: config.scope});
  });
  await refused('wrong_verifier', async () => {
    const answer = await authorize(configuration, {verifier: client.randomPKCECodeVerifier()});
    return client.authorizationCodeGrant(configuration, answer.callback, answer.checks);
  });
  // RFC 9207: a callback whose `iss` was stripped or changed (a mix-up attack) is refused before any
  // token request; a denial is still told as the denial.
  const approved = await authorize(configuration);
  await refused('iss_stripped', () => {
    const stripped = new URL(approved.callback);
    stripped.searchParams.delete('iss');
    return client.authorizationCodeGrant(configuration, stripped, approved.checks);
  });
  await refused('iss_changed', () => {
    const changed = new URL(approved.callback);
    changed.searchParams.set('iss', 'https://attacker.example');
    return client.authorizationCodeGrant(configuration, changed, approved.checks);
  });
  await refused('denied', async () => {
    const denied = await authorize(configuration, {decision: 'deny'});
    return client.authorizationCodeGrant(configuration, denied.callback, denied.checks);
  });
  process.exit(0);
}

main();

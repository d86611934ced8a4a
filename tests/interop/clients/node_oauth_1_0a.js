// npm `oauth-1.0a`: it signs, Node's own fetch sends.
const crypto = require('crypto');
const OAuth = require('oauth-1.0a');
const {emit, verifierFor, bodyOf, runSteps} = require('./common');

const config = JSON.parse(process.argv[process.argv.length - 1]);
emit({library: 'oauth-1.0a', version: require('oauth-1.0a/package.json').version});

function client(signatureMethod) {
  return OAuth({
    consumer: {key: config.key, secret: config.secret},
    signature_method: signatureMethod,
    hash_function: signatureMethod === 'PLAINTEXT'
      ? (base, key) => key
      : (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
  });
}

async function send(oauth, token, method, url, {form, json, data} = {}) {
  const signed = {url, method, data: form || data};
  const headers = oauth.toHeader(oauth.authorize(signed, token));
  let body;
  if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  } else if (json) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch(url, {method, headers, body});
  return [response.status, await response.text()];
}

const library = {
  async flow(callback) {
    const oauth = client('HMAC-SHA1');
    let [status, text] = await send(oauth, undefined, 'POST', `${config.base}/oauth/request_token`,
      {data: {oauth_callback: callback}});
    if (status !== 200) throw new Error(`request token: ${status} ${text}`);
    const temporary = Object.fromEntries(new URLSearchParams(text));
    const verifier = await verifierFor(temporary.oauth_token);
    [status, text] = await send(oauth, {key: temporary.oauth_token, secret: temporary.oauth_token_secret},
      'POST', `${config.base}/oauth/access_token`, {data: {oauth_verifier: verifier}});
    if (status !== 200) throw new Error(`access token: ${status} ${text}`);
    const access = Object.fromEntries(new URLSearchParams(text));
    return [access.oauth_token, access.oauth_token_secret];
  },
  api(token, secret, signatureMethod) {
    const oauth = client(signatureMethod);
    return async (method, path, options) => {
      const [status, text] = await send(oauth, {key: token, secret}, method, config.base + path, options);
      return [status, bodyOf(text)];
    };
  },
};

runSteps(library, config);

// npm `oauth` (ciaranj/node-oauth, which passport uses), with `1.0A` as its README shows.
const {OAuth} = require('oauth');
const {emit, verifierFor, bodyOf, runSteps} = require('./common');

const config = JSON.parse(process.argv[process.argv.length - 1]);
emit({library: 'oauth', version: require('oauth/package.json').version});

function client(callback, signatureMethod) {
  return new OAuth(`${config.base}/oauth/request_token`, `${config.base}/oauth/access_token`,
    config.key, config.secret, '1.0A', callback, signatureMethod);
}


const library = {
  async flow(callback) {
    const oauth = client(callback, 'HMAC-SHA1');
    const [token, secret] = await new Promise((resolve, reject) => oauth.getOAuthRequestToken(
      (error, token, secret) => (error ? reject(error) : resolve([token, secret]))));
    const verifier = await verifierFor(token);
    return new Promise((resolve, reject) => oauth.getOAuthAccessToken(token, secret, verifier,
      (error, token, secret) => (error ? reject(error) : resolve([token, secret]))));
  },
  api(token, secret, signatureMethod) {
    const oauth = client(null, signatureMethod);
    return (method, path, {form, json}) => new Promise((resolve, reject) => {
      const url = config.base + path;
      const done = (error, data, response) => {
        if (error && !error.statusCode) return reject(error);
        resolve(error ? [error.statusCode, bodyOf(error.data)] : [response.statusCode, bodyOf(data)]);
      };
      const body = form || (json ? JSON.stringify(json) : undefined);
      const type = json ? 'application/json' : undefined;
      if (method === 'GET') oauth.get(url, token, secret, done);
      else if (method === 'DELETE') oauth.delete(url, token, secret, done);
      else if (method === 'POST') oauth.post(url, token, secret, body, type, done);
      else if (method === 'PUT') oauth.put(url, token, secret, body, type, done);
      else oauth._putOrPost(method, url, token, secret, body, type, done);  // no public patch()
    });
  },
};

runSteps(library, config);

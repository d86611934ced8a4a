// What both Node drivers share: the JSON-lines protocol with the harness, and the steps' order.
const readline = require('readline');

const lines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();

function emit(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
}

async function verifierFor(token) {
  emit({authorize: token});
  return (await lines.next()).value.trim();
}

function bodyOf(text) {
  try { return JSON.parse(text); } catch (error) { return text; }
}

// library: {flow(callback) -> [token, secret], api(token, secret, signatureMethod) -> call(method, path, {form, json})}
async function runSteps(library, config) {
  let token; let secret;
  for (const [step, callback] of [['callback_flow', config.callback], ['oob_flow', 'oob']]) {
    try {
      [token, secret] = await library.flow(callback);
      emit({step, status: 200, body: {token: Boolean(token && secret)}});
    } catch (error) {
      emit({step, status: 0, body: String(error && (error.message || JSON.stringify(error)))});
      return;
    }
  }
  const steps = [
    ['get_odd_query', 'GET', config.odd_query_path, {}],
    ['post_form', 'POST', '/v2/products', {form: {name: 'Desk lamp', price: '12.50'}}],
    ['post_json', 'POST', '/v2/products', {json: {name: 'Café chair', price: '40.00'}}],
    ['put_json', 'PUT', '/v2/products/{id}', {json: {name: 'Armchair', price: '41.00'}}],
    ['patch_form', 'PATCH', '/v2/products/{id}', {form: {price: '39.99'}}],
    ['delete', 'DELETE', '/v2/products/{id}', {}],
  ];
  const call = library.api(token, secret, 'HMAC-SHA1');
  let productId = null;
  for (const [step, method, path, options] of steps) {
    const [status, body] = await attempt(() => call(method, path.replace('{id}', productId), options));
    if (step === 'post_json' && body && body.id) productId = body.id;
    emit({step, status, body});
  }
  const plaintext = library.api(token, secret, 'PLAINTEXT');
  const [status, body] = await attempt(() => plaintext('GET', '/v2', {}));
  emit({step: 'plaintext_get', status, body});
  process.exit(0);
}

async function attempt(run) {
  try {
    return await run();
  } catch (error) {
    return [0, String(error && (error.message || JSON.stringify(error)))];
  }
}

module.exports = {emit, verifierFor, bodyOf, runSteps};

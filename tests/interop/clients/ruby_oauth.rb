# Ruby's `oauth` gem (Debian ruby-oauth) through the interop steps; one JSON object per line.
require 'json'
require 'oauth'
require 'oauth/signature/plaintext' # not loaded by 'oauth'

config = JSON.parse(ARGV.last)
$stdout.sync = true

def emit(fields)
  puts JSON.generate(fields)
end

def body_of(text)
  JSON.parse(text)
rescue StandardError
  text
end

def consumer(config, signature_method)
  OAuth::Consumer.new(config['key'], config['secret'],
                      site: config['base'], request_token_path: '/oauth/request_token',
                      access_token_path: '/oauth/access_token', authorize_path: '/oauth/authorize',
                      scheme: :header, http_method: :post, signature_method: signature_method)
end

emit(library: 'oauth', version: OAuth::VERSION)

token = secret = nil
[['callback_flow', config['callback']], ['oob_flow', 'oob']].each do |step, callback|
  begin
    request_token = consumer(config, 'HMAC-SHA1').get_request_token(oauth_callback: callback)
    emit(authorize: request_token.token)
    access = request_token.get_access_token(oauth_verifier: $stdin.gets.strip)
    token, secret = access.token, access.secret
    emit(step: step, status: 200, body: { token: !(token.to_s.empty? || secret.to_s.empty?) })
  rescue StandardError => e
    emit(step: step, status: 0, body: "#{e.class}: #{e.message}")
    exit 0
  end
end

json = { 'Content-Type' => 'application/json' }
steps = [
  ['get_odd_query', ->(t, _) { t.get(config['odd_query_path']) }],
  ['post_form', ->(t, _) { t.post('/v2/products', { 'name' => 'Desk lamp', 'price' => '12.50' }) }],
  ['post_json', ->(t, _) { t.post('/v2/products', JSON.generate(name: 'Café chair', price: '40.00'), json) }],
  ['put_json', ->(t, id) { t.put("/v2/products/#{id}", JSON.generate(name: 'Armchair', price: '41.00'), json) }],
  ['patch_form', ->(t, id) { t.patch("/v2/products/#{id}", { 'price' => '39.99' }) }],
  ['delete', ->(t, id) { t.delete("/v2/products/#{id}") }],
]
access = OAuth::AccessToken.new(consumer(config, 'HMAC-SHA1'), token, secret)
product_id = nil
steps.each do |step, call|
  begin
    response = call.call(access, product_id)
    status, body = response.code.to_i, body_of(response.body)
  rescue StandardError => e
    status, body = 0, "#{e.class}: #{e.message}"
  end
  product_id = body['id'] if step == 'post_json' && body.is_a?(Hash)
  emit(step: step, status: status, body: body)
end
begin
  response = OAuth::AccessToken.new(consumer(config, 'PLAINTEXT'), token, secret).get('/v2')
  emit(step: 'plaintext_get', status: response.code.to_i, body: body_of(response.body))
rescue StandardError => e
  emit(step: 'plaintext_get', status: 0, body: "#{e.class}: #{e.message}")
end

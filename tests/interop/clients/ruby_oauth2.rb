# Ruby's `oauth2` gem (Debian ruby-oauth2) through the OAuth 2.0 interop steps; one JSON object per line.
# Configured from the server's metadata (RFC 8414). The gem has strategies for the code and client
# credentials grants and refresh; the device grant goes through its generic `get_token`, and the device,
# revocation and introspection endpoints through its own connection (`Client#request`).
require 'base64'
require 'digest'
require 'json'
require 'oauth2'
require 'oauth2/version' # not loaded by 'oauth2'
require 'securerandom'
require 'uri'

config = JSON.parse(ARGV.last)
$stdout.sync = true
DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code'.freeze

def emit(fields)
  puts JSON.generate(fields)
end

def ask(message)
  emit(message)
  $stdin.gets.strip
end

def pkce_pair
  verifier = SecureRandom.urlsafe_base64(48).delete('=')
  [verifier, Base64.urlsafe_encode64(Digest::SHA256.digest(verifier), padding: false)]
end

emit(library: 'oauth2', version: OAuth2::Version.to_s)

site = OAuth2::Client.new(config['client_id'], config['client_secret'], site: config['base'])
metadata = site.request(:get, '/.well-known/oauth-authorization-server').parsed
emit(step: 'discovery', metadata: metadata)

def client_for(config, metadata, secret = config['client_secret'])
  OAuth2::Client.new(config['client_id'], secret, site: config['base'], auth_scheme: :basic_auth,
                     authorize_url: metadata['authorization_endpoint'], token_url: metadata['token_endpoint'],
                     redirect_uri: config['redirect_uri'])
end
client = client_for(config, metadata)
basic = { 'Authorization' => OAuth2::Authenticator.encode_basic_auth(config['client_id'], config['client_secret']) }

# The user answers the consent page; the code from the address the browser was sent to, its state checked.
authorize = lambda do |challenge|
  state = SecureRandom.hex(16)
  url = client.auth_code.authorize_url(scope: config['scope'], state: state,
                                       code_challenge: challenge, code_challenge_method: 'S256')
  answer = URI.decode_www_form(URI.parse(ask(authorize: url)).query).to_h
  raise "state #{answer['state'].inspect} is not ours" unless answer['state'] == state
  raise "not approved: #{answer['error']}" unless answer['code']

  answer['code']
end

api = lambda do |token|
  response = token.get('/v2', raise_errors: false)
  { status: response.status, body: response.parsed || response.body }
end

step = lambda do |name, &run|
  emit({ step: name }.merge(run.call))
rescue StandardError => e
  emit(step: name, failed: "#{e.class}: #{e.message}")
end

refused = lambda do |name, &run|
  run.call
  emit(step: name, error: nil)
rescue OAuth2::Error => e
  emit(step: name, error: e.code || e.message)
rescue StandardError => e
  emit(step: name, error: "#{e.class}: #{e.message}")
end

token = refreshed = code = verifier = nil
step.call('code_pkce') do
  verifier, challenge = pkce_pair
  code = authorize.call(challenge)
  token = client.auth_code.get_token(code, code_verifier: verifier)
  api.call(token)
end
step.call('refresh') do
  refreshed = token.refresh!
  api.call(refreshed).merge(rotated: refreshed.refresh_token != token.refresh_token)
end
step.call('client_credentials') { api.call(client.client_credentials.get_token(scope: config['scope'])) }
step.call('device') do
  codes = client.request(:post, metadata['device_authorization_endpoint'], headers: basic,
                         body: { client_id: config['client_id'], scope: config['scope'] }).parsed
  ask(device: codes['user_code'])
  interval = codes['interval']
  begin
    sleep interval
    device_token = client.get_token(grant_type: DEVICE_CODE, device_code: codes['device_code'])
  rescue OAuth2::Error => e
    interval += 5 if e.code == 'slow_down'
    retry if %w[authorization_pending slow_down].include?(e.code)
    raise
  end
  api.call(device_token)
end
step.call('introspect') do
  { body: client.request(:post, metadata['introspection_endpoint'], headers: basic,
                         body: { token: refreshed.token }).parsed }
end
step.call('revoke') do
  revoked = client.request(:post, metadata['revocation_endpoint'], headers: basic, body: { token: refreshed.token })
  { revoke_status: revoked.status }.merge(api.call(refreshed))
end
refused.call('reused_code') { client.auth_code.get_token(code, code_verifier: verifier) }
refused.call('bad_secret') { client_for(config, metadata, 'a-wrong-secret').client_credentials.get_token }
refused.call('wrong_verifier') do
  _, challenge = pkce_pair
  client.auth_code.get_token(authorize.call(challenge), code_verifier: pkce_pair.first)
end

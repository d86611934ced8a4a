"""The "Client libraries" table of /docs/authentication: what tests/interop found, library by library.

The interop suite reads its expected failures from here (`KNOWN_BUGS`), so the page and the suite
cannot disagree: a library that starts passing a step fails the suite until this table is updated.
"""
from dataclasses import dataclass, field

STEPS = {
    "callback_flow": "three-legged flow with a callback",
    "oob_flow": "three-legged flow with oob",
    "get_odd_query": "GET with spaces, +, UTF-8, repeated and empty query parameters",
    "post_form": "form POST",
    "post_json": "JSON POST",
    "put_json": "PUT",
    "patch_form": "form PATCH",
    "delete": "DELETE",
    "plaintext_get": "PLAINTEXT",
}


@dataclass(frozen=True)
class ClientLibrary:
    name: str
    language: str
    version: str
    source: str
    known_bugs: dict = field(default_factory=dict)  # step -> the library's bug and the work-around

    @property
    def works(self):
        return [STEPS[step] for step in STEPS if step not in self.known_bugs]


LIBRARIES = [
    ClientLibrary("requests-oauthlib", "Python", "2.0.0", "PyPI"),
    ClientLibrary("Authlib", "Python", "1.9.6", "PyPI"),
    ClientLibrary("oauth2", "Python", "1.9.0.post1", "PyPI", {
        "get_odd_query": "Signs an empty query parameter (empty=) but leaves it out of the URL it sends for "
                         "a GET. Work-around: leave empty parameters out of the URL.",
    }),
    ClientLibrary("oauth-1.0a", "JavaScript (Node)", "2.2.6", "npm", {
        "get_odd_query": "Signs a + in the query as a literal plus (%2B), where a query's + is a space. "
                         "Work-around: write spaces in URLs as %20.",
    }),
    ClientLibrary("oauth", "JavaScript (Node)", "0.10.2", "npm", {
        "get_odd_query": "Signs a repeated query parameter as rep[0]=1&rep[1]=2, not as sent. "
                         "Work-around: give each query parameter once.",
        "patch_form": "Signs a PATCH's form parameters but sends the form body only with POST and PUT. "
                      "Work-around: send PATCH bodies as JSON (a string body and its content type).",
    }),
    ClientLibrary("oauth", "Ruby", "0.5.4", "Debian ruby-oauth", {
        "patch_form": "Leaves a form body out of the signature of anything but POST and PUT. "
                      "Work-around: send PATCH bodies as JSON.",
    }),
    ClientLibrary("Net::OAuth", "Perl", "0.28", "Debian libnet-oauth-perl", {
        "get_odd_query": "Signs one value of a repeated query parameter, and double-encodes UTF-8 it reads "
                         "from the URL. Work-around: give each query parameter once; pass UTF-8 values, "
                         "decoded, in extra_params.",
    }),
]


# One short signed request per language, as the page shows it (with this deployment's URL for
# PRODUCTS_URL); tests/pages/test_docs.py runs each. Credentials come from the environment.
EXAMPLES = [
    ("Python", "requests-oauthlib", "python", """\
import os
import requests
from requests_oauthlib import OAuth1

auth = OAuth1(os.environ["CLIENT_KEY"], os.environ["CLIENT_SECRET"],
              os.environ["TOKEN"], os.environ["TOKEN_SECRET"])
print(requests.get("PRODUCTS_URL", auth=auth).json())"""),
    ("JavaScript (Node 18+)", "oauth-1.0a", "node", """\
const crypto = require('crypto');
const OAuth = require('oauth-1.0a');

const oauth = OAuth({
  consumer: {key: process.env.CLIENT_KEY, secret: process.env.CLIENT_SECRET},
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
});
const token = {key: process.env.TOKEN, secret: process.env.TOKEN_SECRET};
const url = 'PRODUCTS_URL';
fetch(url, {headers: oauth.toHeader(oauth.authorize({url, method: 'GET'}, token))})
  .then((response) => response.json()).then((body) => console.log(JSON.stringify(body)));"""),
    ("Ruby", "oauth", "ruby", """\
require 'oauth'

consumer = OAuth::Consumer.new(ENV['CLIENT_KEY'], ENV['CLIENT_SECRET'], site: 'ORIGIN')
token = OAuth::AccessToken.new(consumer, ENV['TOKEN'], ENV['TOKEN_SECRET'])
puts token.get('PRODUCTS_URL').body"""),
    ("Perl", "Net::OAuth", "perl", """\
use HTTP::Tiny;
use Net::OAuth;
$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

my $url = 'PRODUCTS_URL';
my $request = Net::OAuth->request('protected resource')->new(
    consumer_key => $ENV{CLIENT_KEY}, consumer_secret => $ENV{CLIENT_SECRET},
    token => $ENV{TOKEN}, token_secret => $ENV{TOKEN_SECRET},
    request_url => $url, request_method => 'GET', signature_method => 'HMAC-SHA1',
    timestamp => time, nonce => join('', map { ('a'..'z', 0..9)[rand 36] } 1..16));
$request->sign;
my $headers = {Authorization => $request->to_authorization_header};
print HTTP::Tiny->new->get($url, {headers => $headers})->{content}, "\\n";"""),
]


def examples(products_url, origin):
    """(language, library, interpreter, code) with this deployment's URLs filled in."""
    return [(language, library, interpreter, code.replace("PRODUCTS_URL", products_url).replace("ORIGIN", origin))
            for language, library, interpreter, code in EXAMPLES]

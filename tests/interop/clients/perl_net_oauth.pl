#!/usr/bin/perl
# Perl's Net::OAuth (Debian libnet-oauth-perl) through the interop steps; one JSON object per line.
# Net::OAuth builds and signs messages, and reads token responses strictly (it refuses an `oauth_`
# parameter RFC 5849 does not define there); HTTP::Tiny sends.
use strict;
use warnings;
use Encode qw(decode_utf8);
use HTTP::Tiny;
use JSON::PP;
use Net::OAuth;
$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;
$| = 1;

my $config = decode_json($ARGV[-1]);
my $json = JSON::PP->new->utf8->canonical;
my $http = HTTP::Tiny->new(timeout => 30);

sub emit { print $json->encode($_[0]), "\n" }
sub body_of { my $text = shift; my $body = eval { $json->decode($text) }; defined $body ? $body : $text }
sub nonce { join '', map { ('a'..'z', 0..9)[rand 36] } 1..16 }

sub signed {
    my ($type, %args) = @_;
    my $request = Net::OAuth->request($type)->new(
        consumer_key => $config->{key}, consumer_secret => $config->{secret},
        signature_method => 'HMAC-SHA1', timestamp => time, nonce => nonce(), %args);
    $request->sign;
    return $request;
}

sub token_request {
    my ($type, %args) = @_;
    my $url = $config->{base} . ($type eq 'request token' ? '/oauth/request_token' : '/oauth/access_token');
    my $request = signed($type, request_url => $url, request_method => 'POST', %args);
    my $response = $http->post($url, {headers => {Authorization => $request->to_authorization_header}});
    die "$type: $response->{status} $response->{content}\n" unless $response->{success};
    return Net::OAuth->response($type)->from_post_body($response->{content});
}

emit({library => 'Net::OAuth', version => $Net::OAuth::VERSION});

my ($token, $secret);
for my $flow (['callback_flow', $config->{callback}], ['oob_flow', 'oob']) {
    my ($step, $callback) = @$flow;
    my $ok = eval {
        my $temporary = token_request('request token', callback => $callback);
        emit({authorize => $temporary->token});
        my $verifier = <STDIN>;
        chomp $verifier;
        my $access = token_request('access token', token => $temporary->token,
            token_secret => $temporary->token_secret, verifier => $verifier);
        ($token, $secret) = ($access->token, $access->token_secret);
        1;
    };
    if (!$ok) {
        chomp(my $error = $@);
        emit({step => $step, status => 0, body => $error});
        exit 0;
    }
    emit({step => $step, status => 200, body => {token => ($token && $secret) ? JSON::PP::true : JSON::PP::false}});
}

sub api {
    my ($method, $path, %options) = @_;
    my $url = $config->{base} . $path;
    my (%headers, $content);
    my %extra = %{$options{form} || {}};  # a form body is signed; query parameters are read from the URL
    if ($options{form}) {
        $headers{'Content-Type'} = 'application/x-www-form-urlencoded';
        $content = join '&', map { Net::OAuth::Message::encode($_) . '=' . Net::OAuth::Message::encode($extra{$_}) } sort keys %extra;
    } elsif ($options{json}) {
        $headers{'Content-Type'} = 'application/json';
        $content = $json->encode($options{json});
    }
    my $request = signed('protected resource', request_url => $url, request_method => $method,
        token => $token, token_secret => $secret, extra_params => \%extra,
        signature_method => $options{signature_method} || 'HMAC-SHA1');
    $headers{Authorization} = $request->to_authorization_header;
    my $response = $http->request($method, $url, {headers => \%headers, defined $content ? (content => $content) : ()});
    return (0 + $response->{status}, body_of($response->{content}));
}

my @steps = (
    ['get_odd_query', 'GET', $config->{odd_query_path}],
    ['post_form', 'POST', '/v2/products', form => {name => 'Desk lamp', price => '12.50'}],
    ['post_json', 'POST', '/v2/products', json => {name => decode_utf8('Café chair'), price => '40.00'}],
    ['put_json', 'PUT', '/v2/products/{id}', json => {name => 'Armchair', price => '41.00'}],
    ['patch_form', 'PATCH', '/v2/products/{id}', form => {price => '39.99'}],
    ['delete', 'DELETE', '/v2/products/{id}'],
);
my $product_id = '';
for my $entry (@steps) {
    my ($step, $method, $path, %options) = @$entry;
    $path =~ s/\{id\}/$product_id/;
    my ($status, $body) = eval { api($method, $path, %options) };
    ($status, $body) = (0, "$@") unless defined $status;
    $product_id = $body->{id} if $step eq 'post_json' and ref $body eq 'HASH';
    emit({step => $step, status => $status, body => $body});
}
my ($status, $body) = eval { api('GET', '/v2', signature_method => 'PLAINTEXT') };
($status, $body) = (0, "$@") unless defined $status;
emit({step => 'plaintext_get', status => $status, body => $body});

"""The bridge's short cuts give what the long way gives: the `OAuth` header's well-formed parameter list
read in one step (`header_parameters`) as item by item (`parameters_item_by_item`), and the request's URI
put together directly (`bridge.request_uri`) as Django's `build_absolute_uri` makes it."""
import pytest
from django.test import RequestFactory
from hypothesis import example, given, settings, strategies as st

from access.refusals import MalformedRequest
from consumers.oauth1 import bridge
from consumers.oauth1.protocol_rules import WELL_FORMED_LIST, header_parameters, parameters_item_by_item

PIECES = st.sampled_from(['"', ",", " ", "\t", "=", "%", "%2F", "%zz", "realm", "oauth_nonce", "a b", "é", "\n", "~"])
NAMES = st.one_of(st.sampled_from(["realm", "oauth_token", "oauth_signature", "x%20y", "a.b~c-d"]),
                  st.text(st.sampled_from(list("az09_.~%- =\"")), min_size=0, max_size=6))
VALUES = st.lists(st.one_of(st.sampled_from(list("aZ09._~-%2F +=,\"é\n")), PIECES), max_size=12).map("".join)
ITEMS = st.builds(lambda lead, name, value, trail: f'{lead}{name}="{value}"{trail}',
                  st.sampled_from(["", " ", "  ", "\t"]), NAMES, VALUES, st.sampled_from(["", " ", "\t"]))
LISTS = st.one_of(st.lists(ITEMS, max_size=6).map(",".join), st.lists(PIECES, max_size=8).map("".join))


def item_by_item(rest):
    try:
        return parameters_item_by_item(rest)
    except MalformedRequest as refusal:
        return refusal.additional


@settings(max_examples=400, deadline=None)
@given(LISTS)
@example('realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature="tR3%2BTy81lMeYAr%2FFid0%3D"')
@example('realm="a=b, c", oauth_nonce="x"')
@example("")
def test_a_well_formed_list_reads_as_item_by_item(rest):
    expected = item_by_item(rest)
    if WELL_FORMED_LIST.fullmatch(rest):
        assert header_parameters(f"OAuth {rest}") == expected
        assert isinstance(expected, list)
    else:
        try:
            assert header_parameters(f"OAuth {rest}") == expected
        except MalformedRequest as refusal:
            assert refusal.additional == expected


PATH_TEXT = st.lists(st.one_of(st.sampled_from(list("/az09._~!$&'()*+,:@;=%?# ") + ["é", "/./", "/../", "//"]),
                               st.characters(min_codepoint=0x20, max_codepoint=0x2FF)), max_size=20).map("".join)
QUERY_TEXT = st.lists(st.sampled_from(list("az09._~!$&'()*+,:@;=%?#[]/ \"<>^`{|}") + ["é", "%20", "%zz"]),
                      max_size=20).map("".join)


@pytest.mark.django_db
@settings(max_examples=400, deadline=None)
@given(PATH_TEXT, QUERY_TEXT, st.sampled_from(["http", "https"]))
@example("v2/products", "", "https")
@example("v2/products", "page=2&client_key=k", "http")
@example("/v2/./products", "", "https")
@example("v2/../products", "a=b", "https")
@example("/evil.example/v2", "", "https")
def test_the_request_uri_is_djangos(path, query, scheme):
    request = RequestFactory().get("/", secure=scheme == "https")
    request.path = "/" + path
    request.META["QUERY_STRING"] = query
    assert bridge.request_uri(request, request.scheme, query) == request.build_absolute_uri()


@pytest.mark.django_db
@pytest.mark.parametrize("character", [chr(code) for code in range(0x20, 0x7F)] + ["é", "\x7f", "\u2028"])
def test_the_request_uri_is_djangos_for_every_character(character):
    request = RequestFactory().get("/", secure=True)
    request.path = f"/v2/a{character}b"
    query = request.META["QUERY_STRING"] = f"x{character}y=1"
    assert bridge.request_uri(request, request.scheme, query) == request.build_absolute_uri()

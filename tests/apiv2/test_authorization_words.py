"""Basic and Bearer read the `Authorization` header through one helper, cut into words exactly where DRF's
`get_authorization_header(request).split()` cuts them: at ASCII whitespace only (a no-break space, which
`str.split` would also cut at, stays inside a word)."""
import pytest
from django.test import RequestFactory
from rest_framework.authentication import get_authorization_header

from apiv2.schemes import authorization_words

HEADERS = ["", "Basic dXNlcjpwYXNz", "  bearer   abc.def  ", "Basic\tdXNlcjpwYXNz\r\n", "Basic\xa0dXNlcjpwYXNz",
           "Bearer abc\x85def", "OAuth realm=\"x\", oauth_nonce=\"n\"", "Basic\x0bx\x0cy", "Bearer \x1cx"]


@pytest.mark.parametrize("header", HEADERS)
def test_the_header_is_cut_where_drf_cuts_it(header):
    request = RequestFactory().get("/v2", HTTP_AUTHORIZATION=header)
    drf_words = [word.decode("latin-1") for word in get_authorization_header(request).split()]
    assert authorization_words(request) == drf_words


@pytest.mark.parametrize(("header", "answer"), [("Basic\xa0dXNlcjpwYXNz", "No credentials were given."),
                                                ("Basic dXNlcjpwYXNz", "Invalid credentials.")])
def test_a_no_break_space_does_not_make_a_basic_header(client, db, header, answer):
    response = client.get("/v2/products", HTTP_AUTHORIZATION=header, HTTP_X_CLIENT_KEY="k" * 30)
    assert response.status_code == 401
    assert response.json()["additional"] == answer

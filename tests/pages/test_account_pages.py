"""Signup, home, password change, contact: the developer's own account pages."""
import re

import pytest
from django.contrib.auth import get_user_model

from accounts.services import account_suspend
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "a sturdy passphrase 42"


def signup(client, **fields):
    data = {"username": "newdev", "email": "newdev@example.com", "password1": STRONG, "password2": STRONG}
    return client.post("/signup", {**data, **fields})


def test_signup_creates_the_account_and_signs_it_in(client):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="newdev")
    home = client.get("/")
    assert home.wsgi_request.user == user
    assert b"Register your first app" in home.content
    assert user.email == "newdev@example.com" and user.check_password(STRONG)


@pytest.mark.parametrize("password, complaint", [
    ("short", "too short"),
    ("password123", "too common"),
    ("83749201934", "entirely numeric"),
    ("newdev12", "too similar"),
])
def test_signup_applies_djangos_password_validators(client, password, complaint):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert complaint in response.content.decode()
    assert not get_user_model().objects.filter(username="newdev").exists()


def test_signup_refuses_a_taken_username_or_email(client):
    factories.make_user("taken", email="taken@example.com")
    assert "already exists" in signup(client, username="taken").content.decode()
    assert "already exists" in signup(client, email="TAKEN@example.com").content.decode()


def test_every_signup_field_has_a_label(client):
    page = client.get("/signup").content.decode()
    for field in ("id_username", "id_email", "id_password1", "id_password2"):
        assert f'<label for="{field}"' in page


def test_signed_in_developer_is_sent_home_from_signup(client, aladdin):
    client.force_login(aladdin)
    assert client.get("/signup")["Location"] == "/"


def test_anonymous_home_invites_to_sign_up(client):
    page = client.get("/").content.decode()
    assert 'href="/signup"' in page and "Create a developer account" in page


def test_home_lists_active_apps_and_warns_of_a_lock(client, aladdin, aladdin_key):
    account_suspend(user=aladdin, reason="billing")
    client.force_login(aladdin)
    page = client.get("/").content.decode()
    assert aladdin_key.name in page
    assert "Your API access is locked" in page and 'href="/billing"' in page


def test_password_change_keeps_the_session(client, aladdin, password):
    client.force_login(aladdin)
    new = "another sturdy phrase 7"
    response = client.post("/account/password",
                           {"old_password": password, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    aladdin.refresh_from_db()
    assert aladdin.check_password(new)
    assert client.get("/").wsgi_request.user.is_authenticated


def test_password_change_needs_the_old_password(client, aladdin):
    client.force_login(aladdin)
    new = "another sturdy phrase 7"
    response = client.post("/account/password",
                           {"old_password": "wrong", "new_password1": new, "new_password2": new})
    assert response.status_code == 200 and "incorrectly" in response.content.decode()


def test_contact_page_is_public_and_names_the_address(client, settings):
    settings.SUPPORT_EMAIL = "help@api.example"
    page = client.get("/contact").content.decode()
    assert "help@api.example" in page


def test_contact_page_tells_a_disabled_user_why(client, aladdin):
    account_suspend(user=aladdin, reason="terms")
    client.force_login(aladdin)
    assert "Your API access is disabled" in client.get("/contact").content.decode()


def test_pages_link_the_stylesheet_and_it_is_served(client):
    page = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/site.css">' in page
    assert b"".join(client.get("/static/site.css").streaming_content).startswith(b"/*")


def test_signup_still_succeeds_when_sign_ins_are_cooling_off(client, monkeypatch):
    monkeypatch.setattr("accounts.views.authenticate", lambda request, **credentials: None)
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/login"
    assert get_user_model().objects.filter(username="newdev").exists()


def test_signup_goes_on_to_the_page_it_came_from(client):
    page = client.get("/signup?next=/oauth/authorize%3Foauth_token%3Dabc").content.decode()
    assert 'name="next" value="/oauth/authorize?oauth_token=abc"' in page
    response = signup(client, next="/oauth/authorize?oauth_token=abc")
    assert response.status_code == 302 and response["Location"] == "/oauth/authorize?oauth_token=abc"


def test_signup_never_sends_people_to_another_site(client):
    response = signup(client, next="https://evil.example/")
    assert response["Location"] == "/"


def test_sign_in_page_offers_signup_that_comes_back(client):
    page = client.get("/login?next=/oauth/authorize%3Foauth_token%3Dabc").content.decode()
    assert 'href="/signup?next=/oauth/authorize%3Foauth_token%3Dabc"' in page
    assert 'href="/account/password-reset"' in page


def test_password_reset_by_email(client, aladdin, mailoutbox):
    aladdin.email = "aladdin@example.com"
    aladdin.save()
    response = client.post("/account/password-reset", {"email": "aladdin@example.com"})
    assert response["Location"] == "/account/password-reset/sent"
    (mail,) = mailoutbox
    assert mail.to == ["aladdin@example.com"] and "Reset your API platform password" in mail.subject
    link = re.search(r"http://testserver(/account/reset/\S+)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "a brand new passphrase 8"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/account/reset/done"
    aladdin.refresh_from_db()
    assert aladdin.check_password(new)
    assert "no longer works" in client.get(link, follow=True).content.decode()  # once only


def test_password_reset_says_the_same_for_an_unknown_address(client, mailoutbox):
    response = client.post("/account/password-reset", {"email": "nobody@example.com"})
    assert response["Location"] == "/account/password-reset/sent" and not mailoutbox

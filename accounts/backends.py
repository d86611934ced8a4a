"""Django's password check with the failed-login limits around it, for every caller of `authenticate()`:
HTTP Basic, the login page and the admin's login alike (`accounts.failed_logins` holds the rule)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.views.decorators.debug import sensitive_variables

from access.client_address import client_address
from access.storable import storable
from accounts.api_passwords import api_password_candidate, api_password_verifies, basic_sign_in_password_allowed
from accounts.failed_logins import FailedLoginCounters


class FailedLoginLimitedBackend(ModelBackend):
    @sensitive_variables("password")
    def authenticate(self, request, username=None, password=None, basic=False, **kwargs):
        """The user, or None. `basic`: an HTTP Basic check, where the password may also be one of the
        account's API passwords (`accounts.api_passwords`); the user returned then carries the one that
        matched as `basic_api_password` (None for the sign-in password)."""
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        counters = FailedLoginCounters(username, client_address(request))
        wait = counters.claim()  # counted before the check, so concurrent guesses cannot pass the limit
        if wait:
            if request is not None:
                request.failed_login_cool_off = wait  # callers may tell the user how long to wait
            raise PermissionDenied("cooling off after failed logins")  # stops every other backend too
        if not storable(username):  # a name no account can have: the hasher runs as for any unknown name (timing)
            get_user_model()().set_password(password)
            user = None
        elif basic:
            user = self.basic_user(request, username, password)
        else:
            user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            counters.release()  # only failures stay counted
        return user

    @sensitive_variables("password")
    def basic_user(self, request, username, password):
        """One hash check either way: the API password the password's digest finds, else the sign-in
        password, which fails like a wrong one where the account turned it off for Basic."""
        api_password = api_password_candidate(username=username, password=password)
        if api_password is not None:
            user = api_password.user
            if api_password_verifies(api_password, password) and self.user_can_authenticate(user):
                user.basic_api_password = api_password
                return user
            return None
        user = super().authenticate(request, username=username, password=password)
        if user is None or not basic_sign_in_password_allowed(user):
            return None
        user.basic_api_password = None
        return user

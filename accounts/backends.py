"""Django's password check with the failed-login limits around it, for every caller of `authenticate()`:
HTTP Basic, the login page and the admin's login alike (`accounts.failed_logins` holds the rule)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.views.decorators.debug import sensitive_variables

from access.client_address import client_address
from access.storable import storable
from accounts.failed_logins import FailedLoginCounters


class FailedLoginLimitedBackend(ModelBackend):
    @sensitive_variables("password")
    def authenticate(self, request, username=None, password=None, **kwargs):
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
        if storable(username):
            user = super().authenticate(request, username=username, password=password, **kwargs)
        else:  # a name no account can have: the hasher runs as for any unknown name (timing)
            get_user_model()().set_password(password)
            user = None
        if user is not None:
            counters.release()  # only failures stay counted
        return user

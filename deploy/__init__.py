"""A production deployment on this machine (nginx with TLS in front of two gunicorn instances), for `make stack`
and the deployment tests; never imported by the product."""

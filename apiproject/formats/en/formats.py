"""The site's one date format for Django's own output (the admin's lists and pages), the same as
`apiproject.template_helpers` gives every other page: 2026-11-29 08:43 UTC. Times are in UTC (TIME_ZONE)."""
DATETIME_FORMAT = r"Y-m-d H:i \U\T\C"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = r"H:i \U\T\C"

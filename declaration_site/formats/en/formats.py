# "4 October 2019", as PACE prints dates in English. Everything else is Django's.
DATE_FORMAT = "j F Y"

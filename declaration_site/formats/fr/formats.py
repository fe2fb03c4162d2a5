# "4 octobre 2019", as PACE prints dates in French. Everything else is Django's.
DATE_FORMAT = "j F Y"

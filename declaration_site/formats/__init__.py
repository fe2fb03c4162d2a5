"""Date formats of the site's languages (FORMAT_MODULE_PATH): dates as PACE prints them."""

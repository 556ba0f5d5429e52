"""Data: placeholder."""

from pages import _shared as ui

store, flt = ui.setup_page("data", "Data")

"""Presslens dashboard: ``streamlit run dashboard.py [-- --store DIR]``.

Builds the navigation over the page files in ``pages/``; URL paths are ``/`` (overview),
``/mentions``, ``/network``, ``/sources``, ``/dates`` and ``/data``. Without ``--store`` the
dashboard reads ``data/store/`` (``$PRESSLENS_STORE`` when set), built from the bundled sample
when missing.
"""

from __future__ import annotations

import sys

import streamlit as st

from pages._shared import configure_store

st.set_page_config(page_title="Presslens", page_icon="📰", layout="wide")
configure_store(sys.argv[1:])

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🌍", url_path="overview", default=True),
    st.Page("pages/mentions.py", title="Mentions", icon="🔎", url_path="mentions"),
    st.Page("pages/network.py", title="Network", icon="🕸️", url_path="network"),
    st.Page("pages/sources.py", title="Sources", icon="📰", url_path="sources"),
    st.Page("pages/dates.py", title="Dates", icon="📅", url_path="dates"),
    st.Page("pages/data.py", title="Data", icon="🗂️", url_path="data"),
]

st.navigation(PAGES).run()

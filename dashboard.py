"""Presslens dashboard: ``streamlit run dashboard.py [-- --store DIR]``.

Builds the navigation over the page files in ``pages/``; URL paths are ``/`` (overview),
``/mentions``, ``/articles``, ``/network``, ``/sources``, ``/dates`` and ``/data``. Without
``--store`` the dashboard reads ``data/store/`` (``$PRESSLENS_STORE`` when set), built from
the bundled sample when missing.
"""

from __future__ import annotations

import sys

import streamlit as st

from pages._shared import configure_store, run_page

st.set_page_config(page_title="Presslens", layout="wide")
configure_store(sys.argv[1:])

PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("pages/mentions.py", title="Mentions", url_path="mentions"),
    st.Page("pages/articles.py", title="Articles", url_path="articles"),
    st.Page("pages/network.py", title="Network", url_path="network"),
    st.Page("pages/sources.py", title="Sources", url_path="sources"),
    st.Page("pages/dates.py", title="Dates", url_path="dates"),
    st.Page("pages/data.py", title="Data", url_path="data"),
]

# Any error of a page becomes a short message; the traceback goes to the server log only.
run_page(st.navigation(PAGES))

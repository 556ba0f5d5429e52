"""The dashboard's parts below the pages: figures, text formatting, URL-bound widgets, the sidebar
filter and the upload workspace. Nothing here touches Streamlit's caches (``pages/_shared.py``
does) or imports a page."""

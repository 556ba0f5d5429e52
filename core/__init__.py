"""Presslens core: news articles in, tidy tables out. Never imports streamlit or plotly."""

__version__ = "0.1.0"

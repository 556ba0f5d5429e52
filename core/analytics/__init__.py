"""Presslens analytics: the questions the dashboard asks, answered over the stored tables."""

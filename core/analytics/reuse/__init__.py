"""Who rewrote whom: sentence alignment of two articles, changed quotes, and stories told by
several sources."""

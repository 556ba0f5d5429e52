"""How analytics run: the filter every function takes, the text search, the query engine it
compiles to (DuckDB over the stored Parquet, tables kept per store version) and the typed frames
every result is."""

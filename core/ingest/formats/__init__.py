"""Document formats: bytes to text (encodings), plain text and HTML pages to article drafts
(with a bounded parse), and records (CSV, JSON, JSON Lines) with their dates."""

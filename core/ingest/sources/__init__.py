"""Where articles come from: files, folders and zip archives, web pages, feeds and sitemaps,
and the checks on values that inputs carry into links and messages."""

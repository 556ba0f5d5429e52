"""Entities mentioned together: pair counts per sentence, paragraph or article (exact tops
without the self-join, stored per store version), and the graphs drawn from them."""

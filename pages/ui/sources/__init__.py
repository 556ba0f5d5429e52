"""What the Sources page draws: two articles aligned, their quotes, the share of voice."""

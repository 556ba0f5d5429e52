"""How much a page sends to the browser at once, and what it does past that.

A million articles must not become a million select-box options or tens of thousands of dots:
the browser's main thread draws them, every visitor pays for it, and nobody can read them.
"""

from __future__ import annotations

# Rows a page shows in a table (the Sources page's stories: 250,000 on a million articles);
# its download has them all.
MAX_TABLE_ROWS = 1_000

# The Dates page's month grid (published month × referred-to month × resolution) grows with the
# square of the corpus's span: 47,000 dots on a million articles over ten years took ~1.4 s of
# every server run (building and sending the figure) and as long again in the browser.
MAX_DATE_CELLS = 10_000


def default_date_period(n_month_cells: int) -> str:
    """The Dates page's period when the URL names none: months, or years when the month grid
    has more than :data:`MAX_DATE_CELLS` cells."""
    return "month" if n_month_cells <= MAX_DATE_CELLS else "year"

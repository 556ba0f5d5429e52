"""Time expressions (TimeML TIMEX3): spans, values, tense, traps, and publication dates."""

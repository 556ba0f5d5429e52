"""How a person's name is resolved: lone surnames, namesakes, titles, name tails."""

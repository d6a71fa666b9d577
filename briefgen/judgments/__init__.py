"""Judgments over time: the scales they are graded on (scales.py), estimative language
linted (lint.py), which judgment of one edition is which of the next (matching.py), the
checks across editions (continuity.py) and the desk's track record (record.py)."""

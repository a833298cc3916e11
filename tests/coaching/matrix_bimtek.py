"""Permission-matrix rows for the coaching routes (bimtek part); merged into MATRIX."""

ROWS: dict = {}

"""Permission-matrix rows for the coaching routes (programmes part); merged into MATRIX."""

ROWS: dict = {}

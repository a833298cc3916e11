"""Permission-matrix rows for the evaluation routes (ranking part); merged into MATRIX."""

ROWS: dict = {}

"""Permission-matrix rows for the evaluation routes (setup part); merged into MATRIX."""

ROWS: dict = {}

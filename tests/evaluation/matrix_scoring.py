"""Permission-matrix rows for the evaluation routes (scoring part); merged into MATRIX."""

ROWS: dict = {}

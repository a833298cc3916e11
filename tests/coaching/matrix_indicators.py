"""Permission-matrix rows for the coaching routes (indicators part); merged into MATRIX."""

ROWS: dict = {}

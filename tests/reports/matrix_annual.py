"""Permission-matrix rows (reports/matrix_annual); merged into MATRIX."""

ROWS: dict = {}

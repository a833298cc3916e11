"""Permission-matrix rows (reports/matrix_dashboards); merged into MATRIX."""

ROWS: dict = {}

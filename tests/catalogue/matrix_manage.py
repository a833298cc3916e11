"""Permission-matrix rows (catalogue/matrix_manage); merged into MATRIX."""

ROWS: dict = {}

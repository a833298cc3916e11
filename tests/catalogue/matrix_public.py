"""Permission-matrix rows (catalogue/matrix_public); merged into MATRIX."""

ROWS: dict = {}

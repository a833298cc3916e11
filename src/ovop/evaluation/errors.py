class Refused(Exception):  # noqa: N818  renaming ripples into centres, proposals, coaching, tests
    """An evaluation action that may not happen; ``status`` is the HTTP answer (400/403/409).

    ``errors`` maps a field (a sub-criterion code, a cell) to what is wrong with it.
    """

    def __init__(self, message: str, *, status: int = 409, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}

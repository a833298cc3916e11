"""API: a centre's indicators, mixed into the centres viewset (``/centres/{id}/indicators/``)."""


class IndicatorActions:
    pass

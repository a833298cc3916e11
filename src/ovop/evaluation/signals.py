"""What evaluation tells the apps that build on it (coaching).

Evaluation sits below coaching and may not import it, so it announces its events here and
coaching subscribes in its ``AppConfig.ready()``. A signal is sent *inside* the service's
transaction and not robustly: a receiver's writes (the rated centres' baselines) and its
failures stay all-or-nothing with the publication.
"""

from django.dispatch import Signal

# A cycle's pending decisions were published (``services.decisions.publish_cycle``), after
# they were saved. Keyword arguments: ``cycle``, ``decisions`` (the published ``Decision``
# rows, each with its ``proposal`` loaded), ``actor``.
decisions_published = Signal()

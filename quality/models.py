"""Quality models. Each feature keeps its models in its own module (e.g. `agreement_models.py`)
imported here, so that Django finds them and two helpers never edit the same class list."""

from .agreement_models import AgreementReport  # noqa: F401  (G1: agreement)
from .angoff_models import AngoffPanelist, AngoffRating, AngoffStudy  # noqa: F401  (standard setting)
from .appeal_models import Appeal  # noqa: F401  (helper G2: appeals)
from .calibration_models import CalibrationItem, CalibrationResponse  # noqa: F401  (G2)
from .item_stats_models import (  # noqa: F401  (G2; sums and ledger: issue 12)
    ItemStatistics,
    ItemStatsCheckpoint,
    ItemStatsCounted,
    ItemStatsGroup,
    ItemStatsScenario,
    ItemStatsVersion,
)
from .similarity_models import DesignFingerprint, FingerprintBand, SimilarPair  # noqa: F401
from .workbench_models import WorkTicket  # noqa: F401  (workbench tickets)

"""Every number the simulation assumes when a pack leaves it out, in one place.

They change grades, so they are documented in docs/scenarios/pack-format.md ("Simulation
defaults") and changing one is an engine-version change (CHANGELOG.md). A pack overrides the
per-performer ones on the role, agent or system, and the run-wide ones in its ``simulation``
block.
"""

# --- People (roles) -------------------------------------------------------------------------
ROLE_HEADCOUNT = 1  # people in a role
ROLE_HOURS_PER_DAY = 8  # working hours a day: a person's minutes stretch over 24 h accordingly
ROLE_MINUTES = 10  # minutes of work per step when the role's `minutes` table has no entry
ROLE_ERROR_RATE = 0.02  # chance a person's task introduces an error (PANKO: 1-5%)
ROLE_DETECTION = 0.6  # chance a person's review finds an error of the task it checks

# --- AI agents ------------------------------------------------------------------------------
AGENT_LATENCY_MINUTES = 1.0
AGENT_COST_PER_CALL = 0.01
AGENT_ACCURACY = 0.5  # a task the agent is not rated for: a coin toss
AGENT_ABSTAIN = 0.0  # chance the agent declines the task (escalates, or the case is parked)
AGENT_CONFIDENCE_CORRECT = (0.7, 1.0)  # confidence reported when right: uniform in this range
AGENT_CONFIDENCE_WRONG = (0.3, 0.9)  # ... and when wrong
AGENT_DETECTION = 0.3  # an agent reviewing a task type it has no rate for

# --- Systems --------------------------------------------------------------------------------
SYSTEM_LATENCY_MINUTES = 0.5
SYSTEM_COST_PER_CALL = 0.0
SYSTEM_ACCURACY = 1.0
SYSTEM_DETECTION = 0.0  # a system "reviewing" finds nothing unless the detection table says so

# --- The case stream ------------------------------------------------------------------------
CASE_WINDOW_DAYS = 5  # cases arrive as a Poisson stream over this many days
CASE_ID_PREFIX = "C"

# Hidden adversarial cases vary per variant seed (issue 9, part 7): numbers a pack `set`s on an
# attack are scaled per case by a factor in [1 - j, 1 + j] (clamped to the attribute's range);
# each kind's share of the attacks is weighted per seed by a factor in [1 - w, 1 + w] (the total
# rate is kept); attacks come in a per-seed wave over the window whose depth is at most
# HIDDEN_WAVE_DEPTH (0: evenly spread); case ids start at a per-seed number.
HIDDEN_NUMBER_JITTER = 0.35
HIDDEN_KIND_WEIGHT_JITTER = 0.5
HIDDEN_WAVE_DEPTH = 0.8
CASE_ID_FIRST = 10001  # the lowest first case number ...
CASE_ID_SPREAD = 890000  # ... and the range the per-seed first number is drawn from

# --- The run --------------------------------------------------------------------------------
# The run ends at the horizon: the arrival window plus DRAIN_DAYS. A case not finished by then
# is "unfinished" and counts in cycle time at its age (censored, not dropped).
DRAIN_DAYS = 10
MAX_VISITS = 40  # steps a case may be worked at before it counts as looping (unfinished)
MAX_SKIPS = (
    80  # steps a case may pass unchecked (sampling, rule coverage) before it counts as looping
)
MAX_EVENTS_PER_CASE = 200  # bound on the event loop
# What a legitimate case wrongly rejected costs the business (money per case) when the pack's
# `simulation.wrongful_rejection_cost` does not say.
WRONGFUL_REJECTION_COST = 0.0

# --- Random numbers -------------------------------------------------------------------------
# Each (seed, purpose, subject) has its own stream; DRAW_SLOTS values per case are pre-drawn from
# it, later occurrences in the same case are hashed (see draws.py).
DRAW_SLOTS = 2

"""The fuzz harness's budget: a hypothesis profile, loaded for every target here.

    FUZZ_EXAMPLES=20000 .venv/bin/pytest fuzz -q

`FUZZ_EXAMPLES` is the number of examples per target (default 20000); no
deadline, since a slow example is not a failure here. Failing examples are kept
in hypothesis's database (.hypothesis/), so a rerun tries them first.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("fuzz")

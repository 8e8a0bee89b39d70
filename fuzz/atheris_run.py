"""Run one target of test_fuzz.py under atheris (coverage-guided), when it is installed.

    .venv/bin/pip install --only-binary :all: atheris    # a wheel; nothing is compiled
    .venv/bin/python fuzz/atheris_run.py reader -runs=200000

TARGET is a test name of test_fuzz.py without `test_` (reader, normaliser,
minter, minter_kind, writers, guard, request_parsing); the other arguments go
to libFuzzer (-runs=N, -max_total_time=S, a corpus folder). The target's
hypothesis strategy turns atheris's bytes into inputs
(`hypothesis.fuzz_one_input`), so both fuzzers check the same properties.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["sco_graph"]):
    import test_fuzz


def main() -> None:
    if len(sys.argv) < 2 or not hasattr(test_fuzz, f"test_{sys.argv[1]}"):
        sys.exit(__doc__)
    target = getattr(test_fuzz, f"test_{sys.argv[1]}")
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target.hypothesis.fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

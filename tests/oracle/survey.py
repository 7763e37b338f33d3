"""Survey: many generated departments × every profile through the oracle, findings counted by defect
class (the tests stop at the first failing department; this keeps going).

    cd tests && PYTHONPATH=../src python3 -m oracle.survey [N] [profile …]
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from discloser.package import build_document
from discloser.profile import available_profiles, load_profile
from discloser.validate import load

from . import check_document
from .report import CLASSES, summarize


def survey(n: int, profiles: list[str]) -> str:
    from strategies import departments, to_yaml

    findings: dict[str, list] = defaultdict(list)
    failing: Counter = Counter()
    crashes: Counter = Counter()
    refused: Counter = Counter()
    seconds = Counter()
    folder = Path(tempfile.mkdtemp(prefix="oracle-survey-"))

    @settings(max_examples=n, derandomize=True, deadline=None, database=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(departments(available_profiles()))
    def run(data):
        path = folder / "dept.yaml"
        path.write_text(to_yaml(data), encoding="utf-8")
        for profile in profiles:
            start = time.perf_counter()
            try:
                loaded = load(path, profile)
            except Exception as e:   # noqa: BLE001 — a crash is counted, the survey goes on
                crashes[f"validate {profile}: {e}"[:120]] += 1
                continue
            seconds["validate"] += time.perf_counter() - start
            if loaded.errors:   # a profile may refuse a department for a fact it needs (tests/helpers.py)
                refused[(profile, tuple(sorted({p.rule for p in loaded.errors})))] += 1
                continue
            start = time.perf_counter()
            try:
                doc = build_document(loaded.budget, load_profile(profile))
            except Exception as e:   # noqa: BLE001
                crashes[f"build {profile}: {e}"[:120]] += 1
                continue
            middle = time.perf_counter()
            got = check_document(data, doc, profile)
            seconds["build"] += middle - start
            seconds["oracle"] += time.perf_counter() - middle
            findings[profile] += got
            for cls in {f.cls for f in got}:
                failing[(profile, cls)] += 1

    run()
    out = [f"{n} departments; seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())]
    out += [f"crash ×{v}: {k}" for k, v in crashes.most_common()]
    out += [f"refused ×{v}: {p} {', '.join(rules)}" for (p, rules), v in refused.most_common()]
    for profile in profiles:
        out.append(f"######## {profile}: departments with findings, by class: " +
                   ", ".join(f"{cls}×{failing[(profile, cls)]}" for cls in sorted(CLASSES) if failing[(profile, cls)]))
        out.append(summarize(findings[profile], 4))
    return "\n".join(out)


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args[0]) if args and args[0].isdigit() else 40
    print(survey(count, [a for a in args if not a.isdigit()] or available_profiles()))

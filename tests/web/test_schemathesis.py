"""schemathesis against the OpenAPI schema: no 5xx over >= 1,000 generated requests, and every
4xx is an RFC 9457 problem detail. Seeded and bounded (derandomized Hypothesis, fixed
examples per operation, positive and negative generation).

Background jobs are recorded, not run, on this server: the fuzzing covers the HTTP contract;
running jobs is covered by test_jobs.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from igfcirrhosis.web.settings import WebSettings

from .conftest import Live, start_server

EXAMPLES_PER_OPERATION = 100
MIN_REQUESTS = 1000


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    settings_ = WebSettings(data_dir=tmp_path_factory.mktemp("fuzz"), max_upload_bytes=65536)
    srv, server, thread = start_server(settings_, with_demo=True)
    srv.app.state.jobs.submit = lambda job_id, work: None  # type: ignore[attr-defined]
    yield srv
    server.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)  # type: ignore[attr-defined]


def test_no_server_errors_over_generated_requests(fuzz_server: Live) -> None:
    import schemathesis
    from schemathesis import GenerationMode

    raw = httpx.get(fuzz_server.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    statuses: Counter[int] = Counter()
    failures: list[str] = []

    def check(case: Any) -> None:
        response = case.call(base_url=fuzz_server.url, timeout=30)
        statuses[response.status_code] += 1
        where = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}"
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {where}: {response.text[:300]}")
        elif response.status_code >= 400:
            ctype = response.headers.get("content-type") or ""
            ctype = ctype[0] if isinstance(ctype, list) else ctype
            if not ctype.startswith("application/problem+json"):
                failures.append(f"{response.status_code} not a problem detail: {where}")

    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = op.as_strategy(generation_mode=mode)

            @settings(max_examples=EXAMPLES_PER_OPERATION // 2, derandomize=True,
                      database=None, deadline=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case: Any) -> None:
                check(case)

            try:
                run()
            except Unsatisfiable:  # nothing to negate (an operation without parameters)
                assert mode == GenerationMode.NEGATIVE
    total = sum(statuses.values())
    print(f"schemathesis: {total} requests over {len(operations)} operations; "
          f"statuses {dict(sorted(statuses.items()))}")
    assert failures == [], "\n".join(failures[:20])
    assert total >= MIN_REQUESTS

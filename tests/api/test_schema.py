"""Property test against the OpenAPI schema: no generated request makes the server fail (no 5xx)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from newsgraph.api import create_app

# The schema does not depend on the data: the app is built once, and each test points it at a store.
APP = create_app(None)  # type: ignore[arg-type]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(autouse=True)
def _bind_store(read_store):
    APP.state.store = read_store
    yield
    APP.state.store = None


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_schema_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])
    if response.status_code == 200:  # what the endpoint answers matches the schema it publishes
        case.validate_response(response, checks=[response_schema_conformance])

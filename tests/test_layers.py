"""The floors stay floors: imports only point down, one module reads REDIS_URL, oauthlib only through
its public API (README, "Layout")."""
import ast
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FLOORS = {"access": 0, "accounts": 1, "consumers": 1, "audit": 1, "apiv2": 2, "docs": 2, "apiproject": 3}


def product_modules():
    for package in FLOORS:
        for path in (PROJECT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield package, path


def imported_packages(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_imports_point_down():
    upward = {f"{path.relative_to(PROJECT)} -> {name}" for package, path in product_modules()
              for name in imported_packages(path) if FLOORS.get(name, -1) > FLOORS[package]}
    assert upward == set()


def test_only_the_shared_store_reads_redis_url():
    readers = {str(path.relative_to(PROJECT)) for _, path in product_modules()
               if "settings.REDIS_URL" in path.read_text()}
    # The store's client module makes the client; shared_state.py still reads it until the store moves there.
    assert readers <= {"access/store/redis_client.py", "access/shared_state.py"}


def test_oauthlib_is_used_through_its_public_api_only():
    private = re.compile(r"\b(?:endpoint|signature|utils|common|errors|Endpoint\([^)]*\))\._[a-z]\w*")
    offenders = [str(path.relative_to(PROJECT)) for path in PROJECT.glob("[!.]*/**/*.py")
                 if ".venv" not in path.parts and private.search(path.read_text())]
    assert offenders == []

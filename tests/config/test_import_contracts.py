"""The architecture holds: the engine is plain Python, services know nothing of HTTP or of the
tasks that call them, and the apps depend on each other one way (contracts in .importlinter)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = [
    ROOT / "accounts" / "services.py",
    ROOT / "scenarios" / "services.py",
    *(ROOT / "assessments" / "services").glob("*.py"),
    *(ROOT / "certification" / "services").glob("*.py"),
]
# import-linter cannot forbid part of an external package; these are checked here instead.
HTTP_MODULES = ("django.http", "django.shortcuts", "django.urls", "rest_framework")


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_services_import_no_http_module():
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in SERVICES
        for module in _imported_modules(path)
        if module.startswith(HTTP_MODULES)
    }
    assert len(SERVICES) > 10 and offenders == set()

"""The dependency rule of the code (DEVELOPERS.md): `signatories` never imports `prisoners`;
`declaration_site/lib/` imports no app; the apps hold nothing about the whole site."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("declaration_site", "signatories", "prisoners")
SITE_WIDE = ("middleware", "caching", "health", "errors", "security", "backups", "sample_data")


def imported_modules(path):
    """Every module `path` imports, at the top or inside a function, as absolute names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            yield module
            # `from signatories import api` imports signatories.api
            yield from (f"{module}.{alias.name}" for alias in node.names)


def sources(folder):
    return [
        path for path in sorted((ROOT / folder).rglob("*.py")) if "migrations" not in path.parts
    ]


def imports_of(folder, forbidden):
    return sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources(folder)
        for module in set(imported_modules(path))
        if module == forbidden or module.startswith(forbidden + ".")
    )


def test_the_walker_sees_relative_and_nested_imports(tmp_path, monkeypatch):
    module = tmp_path / "signatories" / "sneaky.py"
    module.parent.mkdir()
    module.write_text(
        "from .models import Signature\n"
        "def later():\n"
        "    from prisoners import models\n"
        "    import prisoners.api\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert {"signatories.models", "prisoners", "prisoners.models", "prisoners.api"} <= set(
        imported_modules(module)
    )
    assert len(imports_of("signatories", "prisoners")) == 3


def test_signatories_never_imports_prisoners():
    assert imports_of("signatories", "prisoners") == []


@pytest.mark.parametrize("app", APPS)
def test_lib_imports_no_app(app):
    """Only its own modules: not the apps, nor the site layer around it."""
    found = imports_of("declaration_site/lib", app)
    assert [line for line in found if ": declaration_site.lib" not in line] == []


@pytest.mark.parametrize("app", ["signatories", "prisoners"])
def test_apps_use_only_the_lib_of_the_site_layer(app):
    """Neither app reaches into the site layer outside its lib."""
    site = [
        line for line in imports_of(app, "declaration_site") if ": declaration_site.lib" not in line
    ]
    assert site == []


@pytest.mark.parametrize("app", ["signatories", "prisoners"])
def test_apps_hold_no_site_wide_module(app):
    names = {path.stem for path in sources(app)}
    assert names.isdisjoint(SITE_WIDE)

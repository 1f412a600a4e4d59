"""Imports run one way, as docs/architecture.md draws them: the domain at the bottom, shared
infrastructure above it, the features above that in a fixed order, and the pages and commands
that combine features on top. A module may import from its own part and from the parts below.

Read from the source with `ast`, so an import inside a function counts too; imports made only
for type checkers (`if TYPE_CHECKING:`) do not, as they never run.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portal"

# Lowest first. A name is a module or a package; the longest match decides. "portal" is the
# package's own __init__ only, so a module left out of the drawing fails loudly.
LAYERS = [
    # Pure rules and values: no Flask, no database.
    ["portal.pso", "portal.pso_timeline", "portal.formats", "portal.clock",
     "portal.exceptions", "portal.permissions", "portal.states"],
    # Shared infrastructure, used by every feature.
    ["portal.config", "portal.extensions", "portal.db", "portal.audit", "portal.mail",
     "portal.storage", "portal.markdown", "portal.routing", "portal.labels", "portal.i18n",
     "portal.security", "portal.urls", "portal.forms", "portal.views"],
    # The features, each a package; a feature may use the ones before it.
    ["portal.auth"], ["portal.suppliers"], ["portal.certificates"], ["portal.contracts"],
    ["portal.obligations"], ["portal.stories"],
    # On top: pages over several features, and what wires the app together.
    ["portal.staff", "portal.main", "portal.templating", "portal.errors", "portal.cli",
     "portal.demo", "portal.models", "portal"],
]


def part_of(module: str) -> int:
    matches = [(len(name), index) for index, names in enumerate(LAYERS) for name in names
               if module == name or (name != "portal" and module.startswith(name + "."))]
    assert matches, f"{module} is in no part of the drawing: add it to LAYERS"
    return max(matches)[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every portal module `tree` imports, outside `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("portal"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base
                                                                           else []))
            if base.startswith("portal"):
                found.update(f"{base}.{a.name}" if (PACKAGE.parent / f"{base}.{a.name}"
                             .replace(".", "/")).with_suffix(".py").exists() else base
                             for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def against_the_drawing() -> list[str]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        own = part_of(module)
        for target in sorted(imported(ast.parse(path.read_text()), module,
                                      path.name == "__init__.py")):
            if part_of(target) > own:
                wrong.append(f"{module} imports {target}")
    return wrong


def test_imports_run_one_way():
    assert against_the_drawing() == []


def test_the_check_finds_an_import_against_the_drawing():
    """The rule is not vacuous: a domain module importing a feature is reported."""
    tree = ast.parse("from portal.stories import services\n"
                     "if TYPE_CHECKING:\n    from portal.staff import routes\n")
    targets = imported(tree, "portal.pso", is_package=False)
    assert targets == {"portal.stories.services"}
    assert part_of("portal.stories.services") > part_of("portal.pso")


@pytest.mark.parametrize(("lower", "higher"), [
    ("portal.pso", "portal.extensions"), ("portal.forms", "portal.auth.forms"),
    ("portal.auth.models", "portal.suppliers"), ("portal.certificates", "portal.obligations"),
    ("portal.obligations.overview", "portal.stories"), ("portal.stories", "portal.staff"),
])
def test_the_parts_are_in_order(lower, higher):
    assert part_of(lower) < part_of(higher)

"""No import cycle in comobi/.

Every import counts, at module level or inside a function: an import moved into a function
still ties the two modules together, it only hides the cycle until the call. Not counted:
imports under ``if TYPE_CHECKING:`` (never run), and the implicit import of a package's
``__init__`` when one of its submodules is imported (a package may import its own
submodules, as an app factory registers its blueprints; a submodule must not import back
from the package's ``__init__``)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "comobi"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, package: str, modules: set[str]) -> set[str]:
    """The modules of ``modules`` one import statement names."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        found.add(submodule if submodule in modules else source)
    return found & modules


def _statements(tree: ast.AST):
    """Every node, less the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for n in node.orelse)
            continue
        yield node
        yield from _statements(node)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(path, root): path for path in root.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = set()
        for node in _statements(tree):
            targets |= _imported(node, package, set(paths))
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_comobi_has_no_import_cycle():
    graph = import_graph()
    assert "comobi.web.public" in graph and "comobi.storage" in graph["comobi.web.public"]
    found = cycles(graph)
    details = ["\n".join(f"  {m} -> {sorted(graph[m] & set(c))}" for m in c) for c in found]
    assert not found, "Import cycles in comobi/:\n" + "\n\n".join(details)


def test_the_check_finds_cycles_at_module_and_function_level(tmp_path):
    root = tmp_path / "pkg"
    (root / "web").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from pkg import b\n")
    (root / "b.py").write_text("def f():\n    from pkg.web import c\n")
    (root / "web" / "__init__.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                              "    from pkg import d\n")
    (root / "web" / "c.py").write_text("from .. import a\n")
    (root / "d.py").write_text("import pkg.web\n")
    graph = import_graph(root)
    assert graph["pkg.web"] == set()  # TYPE_CHECKING only
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.web.c"]]


def test_a_package_may_import_its_submodules_but_not_the_reverse(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("def init_app():\n    from pkg import views\n")
    (root / "views.py").write_text("from pkg.blueprint import bp\n")
    (root / "blueprint.py").write_text("bp = 1\n")
    assert cycles(import_graph(root)) == []
    (root / "views.py").write_text("from pkg import bp\n")
    assert cycles(import_graph(root)) == [["pkg", "pkg.views"]]

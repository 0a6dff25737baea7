"""The layout shows the architecture (issue 9): one namespace, layers that point one way, no
import circle, no module reaching into another's private names, the public API listed once."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
from pathlib import Path

import pytest

import bindsim

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "bindsim"
PARTS = ("machines", "simulator", "diagrams")


def _modules() -> dict[str, Path]:
    """Every module of bindsim by dotted name, read from the repository's three folders."""
    found = {}
    for part in PARTS:
        for path in sorted((PACKAGE / part).rglob("*.py")):
            dotted = ".".join(("bindsim", *path.relative_to(PACKAGE).with_suffix("").parts))
            found[dotted.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The bindsim modules a module imports (at any depth of its code, lazily or not)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    resolved = set()
    for target in targets:
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            resolved.add(target)
    return resolved


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_imports_bindsim_names_never_the_bare_folders() -> None:
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                assert node.module.split(".")[0] not in PARTS, f"{name}: from {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in PARTS, f"{name}: import {alias.name}"


def test_machines_import_neither_the_simulator_nor_the_diagrams() -> None:
    for name, imported in GRAPH.items():
        if name.startswith("bindsim.machines"):
            bad = {i for i in imported if not i.startswith("bindsim.machines")}
            assert not bad, f"{name} imports {bad}"


def test_the_diagrams_do_not_import_the_simulator() -> None:
    for name, imported in GRAPH.items():
        if name.startswith("bindsim.diagrams"):
            assert not {i for i in imported if i.startswith("bindsim.simulator")}, name


def test_there_is_no_import_circle() -> None:
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(GRAPH[node]):
            if state.get(target) == "open":
                cycle = path[path.index(target) :] + [target] if target in path else [node, target]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


def _own_private_names(tree: ast.AST) -> set[str]:
    """The private names a module defines itself: functions, classes, assigned attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names if name.startswith("_")}


def _private_reaches(path: Path) -> list[str]:
    """`x._name` for a private name the module does not define itself, and `from m import
    _name`: reaching into another module's privates."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_private_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if node.attr.startswith("__") and node.attr.endswith("__") or node.attr in own:
                continue
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        if isinstance(node, ast.ImportFrom):
            found += [
                f"{path.name}:{node.lineno}: import {a.name}"
                for a in node.names
                if a.name.startswith("_")
            ]
    return found


def test_no_module_reaches_into_another_modules_private_names() -> None:
    reaches = [r for path in MODULES.values() for r in _private_reaches(path)]
    assert reaches == []


def test_the_public_api_is_listed_once_and_every_name_resolves() -> None:
    assert sorted(bindsim.__all__) == bindsim.__all__
    for name in bindsim.__all__:
        assert getattr(bindsim, name).__name__ == name


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.endswith("__main__")))
def test_docstring_examples_run(module: str) -> None:
    """Docs that run: every `>>>` example in a module's docstrings is a doctest."""
    imported = importlib.import_module(module)
    result = doctest.testmod(imported, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def test_every_error_class_bindsim_defines_is_a_bindsim_error() -> None:
    """One base for the whole project: `except BindSimError` catches every error it raises
    (click's exceptions are the CLI's way to exit, private ones never leave their module)."""
    import click

    from bindsim.errors import BindSimError

    for name in MODULES:
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Exception)
                and value.__module__ == name
                and not value.__name__.startswith("_")
                and not issubclass(value, click.ClickException)
            ):
                assert issubclass(value, BindSimError), f"{name}.{value.__name__}"


def test_the_exception_tree_lives_in_one_module() -> None:
    """Issue 20: 48 exception classes were spread over 25 modules; bindsim/errors.py holds every
    one (private ones, a module's own control flow, stay with it), and it imports nothing of
    bindsim's, so every layer can raise from it."""
    import click

    defined_elsewhere = []
    for name in MODULES:
        if name.endswith("__main__") or name == "bindsim.errors":
            continue
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        module = importlib.import_module(name)
        for node in tree.body:
            value = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and not node.name.startswith("_")
                and not issubclass(value, click.ClickException)
            ):
                defined_elsewhere.append(f"{name}.{node.name}")
    assert not defined_elsewhere, defined_elsewhere
    errors = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    loaded = [
        node.module
        for node in ast.walk(errors)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bindsim")
    ]
    assert not loaded, loaded  # at any depth, for type checking too: no circle through it


def test_the_facts_are_declared_once_and_the_records_and_the_api_take_the_same_ones() -> None:
    """Issue 20: the facts were declared in six places; facts.FACTS is the one table, and the
    records, World.add_creator/add_shop and every surface's list of facts follow it."""
    from dataclasses import fields

    from bindsim import World
    from bindsim.simulator import facts
    from bindsim.simulator.explore import space
    from bindsim.simulator.scenario import format as scenario_format
    from bindsim.simulator.serve import actions as serve_actions
    from bindsim.simulator.serve import words as serve_words
    from bindsim.simulator.state import Creator, Shop

    creator, shop = facts.facts_of("creator"), facts.facts_of("shop")
    assert set(creator) <= {f.name for f in fields(Creator)}
    assert set(shop) <= {f.name for f in fields(Shop)}
    assert set(creator) <= set(inspect.signature(World.add_creator).parameters)
    assert set(shop) <= set(inspect.signature(World.add_shop).parameters)
    assert list(scenario_format.CREATOR_FACTS) == list(creator)
    assert list(scenario_format.SHOP_FIELDS) == list(shop)
    assert set(serve_actions.PARSERS) == set(creator) | set(shop)
    assert set(serve_words.FACTS) == set(creator) | set(shop)
    varied = {f.name for f in creator.values() if f.varies}
    assert varied | {f"shop_{n}" for n, f in shop.items() if f.varies} == set(space.VARIABLE_FACTS)


def test_the_actions_are_declared_once_and_every_surface_reads_them() -> None:
    """Issue 20: the verbs were declared four times (scenario format, explore, serve, the
    diagrams' words) and the tap paths three; actions.ACTIONS is the one table."""
    from bindsim.simulator.actions import ACTIONS
    from bindsim.simulator.explore import space
    from bindsim.simulator.scenario import format as scenario_format
    from bindsim.simulator.serve import actions as serve_actions

    assert set(scenario_format.VERBS) == {*ACTIONS, "expect"}
    for name, action in ACTIONS.items():
        verb = scenario_format.VERBS[name]
        assert (verb.help, verb.rules) == (action.help, action.rules)
        if name not in ("set", "advance", "advance_to"):
            assert list(verb.shape.fields()) == [p.name for p in action.params]
    assert tuple(n for n, a in ACTIONS.items() if a.offered) == serve_actions.WORLD_ACTIONS
    assert set(serve_actions.WORLD_ACTIONS) <= set(serve_actions.VERBS) <= {*ACTIONS, "expect"}
    assert set(space.OPERATIONS) <= set(ACTIONS)


def test_no_module_but_the_actions_table_lists_the_verbs() -> None:
    """A literal tuple, list, set or dict naming four or more verbs outside actions.py is a
    second declaration of them."""
    from bindsim.simulator.actions import ACTIONS

    allowed = {
        "bindsim.simulator.actions",
        "bindsim.machines.reasons",  # which verbs can meet each reason: a relation, not a list
    }
    offenders = []
    for name, path in MODULES.items():
        if name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
            if not isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)) or not items:
                continue
            verbs = {i.value for i in items if isinstance(i, ast.Constant)} & set(ACTIONS)
            if len(verbs) >= 4:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {sorted(verbs)}")
    assert not offenders, offenders


def test_the_type_checker_catches_a_mistyped_role_or_state(tmp_path: Path) -> None:
    """Roles are Literals, and a record's `state` is the Literal of its machine's outermost state
    ids (machines/compiled.py, written from the machines): with the project's mypy settings
    (strict equality), `role="offical"` and `state == "stuk"` are errors, the right ids are not."""
    mypy = pytest.importorskip("mypy.api")
    snippet = tmp_path / "typo.py"
    snippet.write_text(
        "from bindsim import World\n"
        "w = World()\n"
        'w.invite("gb", "alice", role="offical")\n'
        'wrong = w.binding("gb", "alice").state == "stuk"\n'
        'right = w.binding("gb", "alice").state == "stuck"\n'
        'ticket = w.latest_ticket("gb", "alice").state == "resolved"\n',
        encoding="utf-8",
    )
    config = str(ROOT / "pyproject.toml")
    out, _, status = mypy.run(["--config-file", config, "--no-error-summary", str(snippet)])
    assert status == 1
    errors = sorted(line.split(":")[1] for line in out.splitlines() if ": error:" in line)
    assert errors == ["3", "4"], out
    assert "Literal['official', 'channel']" in out and "Literal['stuk']" in out

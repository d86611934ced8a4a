"""The floors stay floors: imports only point down, one module reads REDIS_URL, Django, DRF, oauthlib and
django-oauth-toolkit only through their public API (README, "Layout"), and nothing cites a file outside
the repository."""
import ast
import importlib
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
    assert readers and all(reader.startswith("access/store/") for reader in readers), readers


def test_oauthlib_is_used_through_its_public_api_only():
    private = re.compile(r"\b(?:endpoint|signature|utils|common|errors|Endpoint\([^)]*\))\._[a-z]\w*")
    offenders = [str(path.relative_to(PROJECT)) for path in PROJECT.glob("[!.]*/**/*.py")
                 if ".venv" not in path.parts and private.search(path.read_text())]
    assert offenders == []


# --- No private API of Django, DRF, oauthlib or django-oauth-toolkit --------------------------------

LIBRARIES = {"django", "rest_framework", "oauthlib", "oauth2_provider"}
# Names with a leading underscore that their owners document as public API: Django's Model `_meta` API
# ("Model _meta API") and `Model._base_manager` ("Managers: base managers"), and the named tuple's
# `_replace` (Python's `collections.namedtuple`, which `urlsplit` returns).
DOCUMENTED = {"_meta", "_base_manager", "_replace"}
# Our own private names reached as `x._name` that our code defines out of the parser's sight (with
# `setattr`, say): none today. Only names of ours belong here, never one of the libraries above.
OWN_HELPERS = set()


def is_private(name):
    return name.startswith("_") and not name.startswith("__")


def module_name(path):
    return ".".join(path.relative_to(PROJECT).with_suffix("").parts)


def our_private_names(trees):
    """Every `_name` our product code defines: functions, classes, variables, attributes it assigns."""
    names = set(OWN_HELPERS)
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {name for name in names if is_private(name)}


def is_library_class(cls):
    return cls.__module__.split(".")[0] in LIBRARIES


def first_definer(classes, name):
    """The first class of `classes` (an MRO) whose own body defines `name`, or None."""
    return next((cls for cls in classes if name in vars(cls)), None)


def defined_in_body(class_node):
    """The private names a class's own body defines (its methods and class attributes), as written:
    not what a metaclass adds (an enum's members map, a model's `_meta`)."""
    for statement in class_node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [statement.name]
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [target.id for target in targets if isinstance(target, ast.Name)]
        else:
            names = []
        yield from (name for name in names if is_private(name) and name not in DOCUMENTED)


class PrivateUses(ast.NodeVisitor):
    """Where one product module reaches a private name of the libraries: an import of one, `x._name` on
    anything but `self`/`cls` unless the name is ours, `self._name`/`cls._name`/`super()._name` that
    the class inherits from a library class, and a method of ours that overrides a library's private one."""

    def __init__(self, path, ours):
        self.where, self.ours, self.found = str(path.relative_to(PROJECT)), ours, set()
        self.module, self.classes = None, []  # the module is imported only when a class must be resolved
        self.path = path

    def report(self, node, what):
        self.found.add(f"{self.where}:{node.lineno}: {what}")

    def current_class(self):
        if not self.classes or self.classes[-1] is None:
            return None
        if self.module is None:
            self.module = importlib.import_module(module_name(self.path))
        return getattr(self.module, self.classes[-1], None)

    def visit_ImportFrom(self, node):
        if node.module and node.level == 0 and node.module.split(".")[0] in LIBRARIES:
            parts = node.module.split(".")
            if any(is_private(part) for part in parts):
                self.report(node, f"from {node.module} import ...")
            for alias in node.names:
                if is_private(alias.name):
                    self.report(node, f"from {node.module} import {alias.name}")

    def visit_Import(self, node):
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] in LIBRARIES and any(is_private(part) for part in parts):
                self.report(node, f"import {alias.name}")

    def visit_ClassDef(self, node):
        top_level = not self.classes
        self.classes.append(node.name if top_level else None)  # nested classes (Meta) are not resolved
        cls = self.current_class() if top_level else None
        if cls is not None:
            for name in defined_in_body(node):
                definer = first_definer(cls.__mro__[1:], name)
                if definer is not None and is_library_class(definer):
                    self.report(node, f"{node.name}.{name} overrides "
                                      f"{definer.__module__}.{definer.__name__}.{name}")
        self.generic_visit(node)
        self.classes.pop()

    def visit_Attribute(self, node):
        self.judge(node, node.value, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node):
        function = node.func
        if (isinstance(function, ast.Name) and function.id in {"getattr", "hasattr", "setattr", "delattr"}
                and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)):
            self.judge(node, node.args[0], node.args[1].value)
        self.generic_visit(node)

    def judge(self, node, owner, name):
        if not is_private(name) or name in DOCUMENTED:
            return
        said = f"{ast.unparse(owner)}.{name}"
        is_super = (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super")
        if is_super or (isinstance(owner, ast.Name) and owner.id in {"self", "cls"}):
            cls = self.current_class()
            if cls is None:
                if name not in self.ours:
                    self.report(node, said)
                return
            definer = first_definer(cls.__mro__[1:] if is_super else cls.__mro__, name)
            if definer is not None and is_library_class(definer):
                self.report(node, f"{said} ({definer.__module__}.{definer.__name__})")
            elif definer is None and (is_super or name not in self.ours):
                self.report(node, said)  # an attribute some library sets on its instances
        elif name not in self.ours:
            self.report(node, said)


def test_no_private_api_of_django_drf_oauthlib_or_the_toolkit():
    """Product code uses the libraries through their public API only: a private name may change or go
    in any release, and with it our security checks."""
    trees = {path: ast.parse(path.read_text()) for _, path in product_modules()}
    ours = our_private_names(trees)
    found = set()
    for path, tree in trees.items():
        visitor = PrivateUses(path, ours)
        visitor.visit(tree)
        found |= visitor.found
    assert sorted(found) == []


# Spelled in pieces, so that this file does not cite them itself.
OUTSIDE = ("CONTRACT" ".md", "STYLE" ".md", "/work/" "shared", "authentication-guide" ".txt")
CITING_FILES = ("*.py", "*.md", "*.html", "*.txt", "*.js", "*.toml", "*.ini", "*.cfg", "Makefile")


def test_nothing_cites_a_file_outside_the_repository():
    """Code, docs and README cite the contract in the repository (docs/contract.md), never a file a
    reader of the repository cannot open."""
    citing = {}
    for pattern in CITING_FILES:
        for path in PROJECT.rglob(pattern):
            if {".venv", "node_modules", ".git", ".stack"} & set(path.relative_to(PROJECT).parts):
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if any(name in line for name in OUTSIDE):
                    citing[f"{path.relative_to(PROJECT)}:{number}"] = line.strip()[:80]
    assert citing == {}

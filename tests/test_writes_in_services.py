"""Writes live in services (issue 16, part 3): no ORM write outside a service module.

Views, forms, serializers and viewsets parse, call a service and render; the service checks,
writes (in a transaction, with its history) and returns. This test reads the syntax tree of
every module of ``src/ovop`` and lists each write it finds outside a service module as
``file:line``.

A write is a call of one of these shapes:

- ``.create(``, ``.get_or_create(``, ``.update_or_create(``, ``.bulk_create(``,
  ``.bulk_update(`` on anything: a model's manager or a related manager;
- ``.update(`` on a queryset: on a chain through ``.objects`` or a queryset method
  (``filter``, ``exclude``, ``all``…), or with keyword arguments only (a queryset held in a
  variable; a dict updated by keywords from a subscript, as in the settings, is not one);
- ``.delete()`` without a positional argument: an instance or a queryset (a storage's
  ``delete(name)`` and the cache's ``delete(key)`` take one);
- ``.save()`` without a positional argument: an instance, ``form.save()``,
  ``formset.save()``, ``serializer.save()`` — except ``save(commit=False)``, which only
  builds the instances for a service to save; and ``.save(name, content)``, a file field's
  save, which stores the file and (by default) the row. Pillow's and segno's
  ``save(buffer)`` take one positional argument and are not writes;
- a many-to-many ``obj.relation.set(values)`` or ``obj.relation.clear()``;
- ``bulk_create_with_history(`` / ``bulk_update_with_history(`` (django-simple-history);
- a DRF view with the create/update/destroy mixins (``ModelViewSet``, ``CreateAPIView``…)
  that does not override ``perform_create`` / ``perform_update`` / ``perform_destroy`` for
  a method it accepts: DRF's own would call ``serializer.save()`` or ``instance.delete()``.

Not counted: calls on ``super()`` (a model's ``save`` delegating to Django, a viewset's
``create`` delegating to DRF — the ``perform_*`` rule covers what DRF then does);
``.add(`` / ``.remove(`` (Python's sets share the names, and no view adds to a relation);
raw SQL (only the backup writes by SQL, and it is allowed below); Django's own views (the
auth app's password views save the user through Django's forms).

A service module is ``services.py`` or a module of a ``services/`` package, a migration, or
one of the ``SERVICES_BY_ROLE`` below: modules that are services by what they do, not by
their name. Nothing else is excused; an offender is moved into a service, not listed here.
"""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "ovop"

# Module (or package, ending in "/") under src/ovop → why it may write.
SERVICES_BY_ROLE = {
    "common/deletion.py": "delete_unless_needed, the one guarded delete the services call",
    "common/backups.py": "restore writes whole tables back, below every domain rule",
    "demo/": "the demo seed fakes a past (back-dated moves, published results) by design",
}

MANAGER_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
QUERYSET_METHODS = {
    "all",
    "annotate",
    "distinct",
    "exclude",
    "filter",
    "none",
    "only",
    "order_by",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "using",
}
HISTORY_WRITES = {"bulk_create_with_history", "bulk_update_with_history"}
# A DRF base that writes → per HTTP method it serves, the perform_* hook that would save.
CREATE_HOOKS = {"post": "perform_create"}
UPDATE_HOOKS = {"put": "perform_update", "patch": "perform_update"}
DESTROY_HOOKS = {"delete": "perform_destroy"}
WRITING_BASES = {
    "ModelViewSet": CREATE_HOOKS | UPDATE_HOOKS | DESTROY_HOOKS,
    "CreateModelMixin": CREATE_HOOKS,
    "UpdateModelMixin": UPDATE_HOOKS,
    "DestroyModelMixin": DESTROY_HOOKS,
    "CreateAPIView": CREATE_HOOKS,
    "ListCreateAPIView": CREATE_HOOKS,
    "UpdateAPIView": UPDATE_HOOKS,
    "RetrieveUpdateAPIView": UPDATE_HOOKS,
    "DestroyAPIView": DESTROY_HOOKS,
    "RetrieveDestroyAPIView": DESTROY_HOOKS,
    "RetrieveUpdateDestroyAPIView": UPDATE_HOOKS | DESTROY_HOOKS,
}
ALL_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def is_service_module(relative: str) -> bool:
    parts = relative.split("/")
    if parts[-1] == "services.py" or "services" in parts[:-1] or "migrations" in parts[:-1]:
        return True
    return any(
        relative == allowed or (allowed.endswith("/") and relative.startswith(allowed))
        for allowed in SERVICES_BY_ROLE
    )


def _through_queryset(node: ast.expr) -> bool:
    """Whether a call's receiver is a chain through ``.objects`` or a queryset method."""
    while True:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in QUERYSET_METHODS:
                return True
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        else:
            return False


def _on_super(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def write_in_call(call: ast.Call) -> str | None:  # noqa: PLR0911  one answer per shape
    """The kind of write ``call`` makes, or None."""
    if isinstance(call.func, ast.Name):
        return call.func.id if call.func.id in HISTORY_WRITES else None
    if not isinstance(call.func, ast.Attribute) or _on_super(call.func.value):
        return None
    name, receiver, positional = call.func.attr, call.func.value, len(call.args)
    if name in MANAGER_WRITES:
        return name
    if name == "update" and (
        _through_queryset(receiver)
        or (positional == 0 and call.keywords and not isinstance(receiver, ast.Subscript))
    ):
        return "queryset update"
    if name == "delete" and positional == 0:
        return "delete"
    if name == "save" and positional == 0:
        commit = _keyword(call, "commit")
        if isinstance(commit, ast.Constant) and commit.value is False:
            return None
        return "save"
    if name == "save" and positional == 2:  # noqa: PLR2004  FieldFile.save(name, content)
        return "file save"
    if isinstance(receiver, ast.Attribute) and (
        (name == "set" and positional == 1) or (name == "clear" and positional == 0)
    ):
        return f"many-to-many {name}"
    return None


def _methods_served(cls: ast.ClassDef) -> set[str]:
    for statement in cls.body:
        if (
            isinstance(statement, ast.Assign)
            and any(
                isinstance(t, ast.Name) and t.id == "http_method_names" for t in statement.targets
            )
            and isinstance(statement.value, ast.List | ast.Tuple)
        ):
            return {e.value for e in statement.value.elts if isinstance(e, ast.Constant)}
    return ALL_METHODS


def implicit_viewset_writes(cls: ast.ClassDef) -> list[str]:
    """The perform_* hooks a writing viewset leaves to DRF (which would save by itself)."""
    bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in cls.bases}
    hooks: dict[str, str] = {}
    for base in bases & WRITING_BASES.keys():
        hooks |= WRITING_BASES[base]
    defined = {s.name for s in cls.body if isinstance(s, ast.FunctionDef)}
    served = _methods_served(cls)
    return sorted(
        {hook for method, hook in hooks.items() if method in served and hook not in defined}
    )


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(SOURCE.parent)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (kind := write_in_call(node)):
            found.append((node.lineno, f"{where}:{node.lineno}: {kind}: {ast.unparse(node)[:80]}"))
        elif isinstance(node, ast.ClassDef):
            for hook in implicit_viewset_writes(node):
                message = f"{where}:{node.lineno}: {node.name} leaves {hook} to DRF (a save)"
                found.append((node.lineno, message))
    return [message for _line, message in sorted(found)]


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(PACKAGE).as_posix(), path) for path in sorted(PACKAGE.rglob("*.py"))]


def test_no_write_outside_a_service_module():
    offenders = [
        message
        for relative, path in _modules()
        if not is_service_module(relative)
        for message in writes_in(path)
    ]
    assert not offenders, "ORM writes outside a service module:\n" + "\n".join(offenders)


def test_every_service_by_role_exists_and_writes():
    # An entry whose module moved or stopped writing is an excuse nobody needs: remove it.
    stale = []
    for allowed in SERVICES_BY_ROLE:
        paths = (
            sorted((PACKAGE / allowed).rglob("*.py"))
            if allowed.endswith("/")
            else [PACKAGE / allowed]
        )
        if not any(path.exists() and writes_in(path) for path in paths):
            stale.append(allowed)
    assert not stale, f"SERVICES_BY_ROLE entries without a write: {stale}"


def _calls(source: str) -> list[str | None]:
    """The kind of write of each line's outermost call."""
    lines = [s.value for s in ast.parse(source).body if isinstance(s, ast.Expr)]
    return [write_in_call(call) for call in lines if isinstance(call, ast.Call)]


def test_the_scan_tells_writes_from_look_alikes():
    writes = (
        "Centre.objects.create(name='x')\n"
        "proposal.documents.get_or_create(item=item)\n"
        "Round.objects.filter(pk=1).update(deadline=d)\n"
        "queryset.update(state='x')\n"
        "document.delete()\n"
        "document.save(update_fields=['note'])\n"
        "form.save()\n"
        "serializer.save(actor=user)\n"
        "document.file.save('a.pdf', upload, save=False)\n"
        "cycle.commodities.set(groups)\n"
        "bulk_create_with_history(rows, Centre)\n"
    )
    look_alikes = (
        "context.update(other)\n"
        "LOGGING['handlers'].update(formatter='json')\n"
        "storage.delete(name)\n"
        "cache.delete(key)\n"
        "image.save(buffer, format='PNG')\n"
        "form.save(commit=False)\n"
        "super().save(*args, **kwargs)\n"
        "super().create(request)\n"
        "request_var.set(request)\n"
        "seen.add(key)\n"
    )
    assert all(_calls(writes)), list(zip(writes.splitlines(), _calls(writes), strict=True))
    assert not any(_calls(look_alikes)), list(
        zip(look_alikes.splitlines(), _calls(look_alikes), strict=True)
    )


def test_the_scan_finds_a_viewset_left_to_save_by_itself():
    source = (
        "class Open(viewsets.ModelViewSet):\n"
        "    def perform_create(self, serializer): ...\n"
        "class Closed(viewsets.ModelViewSet):\n"
        "    http_method_names = ['get', 'post', 'patch']\n"
        "    def perform_create(self, serializer): ...\n"
        "    def perform_update(self, serializer): ...\n"
    )
    open_, closed = (n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    assert implicit_viewset_writes(open_) == ["perform_destroy", "perform_update"]
    assert implicit_viewset_writes(closed) == []

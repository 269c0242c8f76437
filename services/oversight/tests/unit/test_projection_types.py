"""The read model is typed: every projection function is registered for event classes the registry
holds, and every payload field it reads exists on each of those classes. Renaming or removing a field
of an event the read model uses fails here (and the type checker), instead of leaving a column
silently empty."""

import ast
import inspect
import textwrap

import pytest
from pydantic import create_model

from govkit.events import EVENT_TYPES, EventData
from oversight.projects import projection
from oversight.projects.projection import PROJECTORS


def fields_read(fn) -> set[str]:
    """The attributes a projection function reads from its payload parameter (the second one). It must
    not hand the payload on whole (a helper's reads would be invisible here), only its fields."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    payload = func.args.args[1].arg
    read, passed_whole = set(), []
    parents = {child: node for node in ast.walk(func) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id == payload and isinstance(node.ctx, ast.Load):
            parent = parents[node]
            if isinstance(parent, ast.Attribute):
                read.add(parent.attr)
            elif isinstance(parent, ast.Call) and getattr(parent.func, "id", None) in ("isinstance", "_present"):
                continue
            else:
                passed_whole.append(ast.unparse(parent))
    assert not passed_whole, f"{fn.__name__} hands its payload on whole: {passed_whole}"
    return read - {"model_fields_set"}


def violations(projectors) -> list[str]:
    out = []
    for cls, fn in projectors.items():
        if EVENT_TYPES.get(cls.__name__) is not cls:
            out.append(f"{fn.__name__}: {cls.__name__} is not the registry's class")
            continue
        for field in sorted(fields_read(fn) - set(cls.model_fields)):
            out.append(f"{fn.__name__} reads {cls.__name__}.{field}, which the event does not have")
    # a field checked with _present(d, "x") must exist too
    for cls, fn in projectors.items():
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(fn)))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_present":
                name = node.args[1].value
                if name not in cls.model_fields:
                    out.append(f"{fn.__name__} checks {cls.__name__}.{name}, which the event does not have")
    return out


def test_every_projection_function_reads_only_fields_its_events_have():
    assert len(PROJECTORS) >= 35
    assert violations(PROJECTORS) == []


def test_a_renamed_field_is_caught():
    """ProjectApproved with `approved_investment` renamed: the check names the function and the field."""
    fields = {
        name: (f.annotation, f)
        for name, f in EVENT_TYPES["ProjectApproved"].model_fields.items()
        if name != "approved_investment"
    }
    renamed = create_model("ProjectApproved", __base__=EventData, **fields, investment_approved=(str, ...))
    EVENT_TYPES["ProjectApproved"], original = renamed, EVENT_TYPES["ProjectApproved"]
    try:
        found = violations({renamed: PROJECTORS[original]})
    finally:
        EVENT_TYPES["ProjectApproved"] = original
    assert found == ["project_approved reads ProjectApproved.approved_investment, which the event does not have"]


def test_a_projection_for_an_unregistered_class_is_caught():
    class ProjectApproved(EventData):  # same name, not the registry's class
        approved_investment: str

    found = violations({ProjectApproved: projection.project_approved})
    assert found == ["project_approved: ProjectApproved is not the registry's class"]


@pytest.mark.parametrize("fn", sorted(set(PROJECTORS.values()), key=lambda f: f.__name__), ids=lambda f: f.__name__)
def test_projection_functions_are_small(fn):
    """One small function per event type (the old fold was one 103-line function of 68 branches)."""
    assert len(inspect.getsource(fn).splitlines()) <= 20

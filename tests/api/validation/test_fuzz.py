"""Property: validation never raises on malformed input. Random values replace (or
delete) any part of a valid object of many kinds, and the three entry points
return field errors only — whatever shape the object has."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api.errors import FieldError
from engine.api.resources import by_group_plural
from engine.api.validation import (
    validate_object,
    validate_object_update,
    validate_status_update,
)
from tests.api.mutations import json_values, mutate, paths
from tests.api.validation import builders as b

VALUES = json_values(
    text_size=12, extras=("", "None", "Always", "1Gi", "-1", "50%", "a/b"))



def _all_field_errors(result: Any) -> bool:
    return isinstance(result, list) and all(isinstance(e, FieldError) and str(e) for e in result)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutations_never_raise(data: st.DataObject) -> None:
    plural, group, builder = data.draw(st.sampled_from(b.SAMPLES))
    info = by_group_plural(group, plural)
    valid = builder()
    mutated = valid
    for _ in range(data.draw(st.integers(1, 3))):
        found = paths(mutated)
        if not found:
            break
        mutated = mutate(mutated, data.draw(st.sampled_from(found)), data.draw(VALUES),
                          data.draw(st.booleans()))
    assert _all_field_errors(validate_object(info, mutated))
    assert _all_field_errors(validate_object_update(info, mutated, valid))
    assert _all_field_errors(validate_object_update(info, valid, mutated))
    assert _all_field_errors(validate_status_update(info, mutated, valid))


@settings(max_examples=150, deadline=None)
@given(value=VALUES, plural_group=st.sampled_from([(p, g) for p, g, _ in b.SAMPLES]))
def test_whole_object_of_wrong_shape(value: Any, plural_group: tuple[str, str]) -> None:
    info = by_group_plural(plural_group[1], plural_group[0])
    obj = {"metadata": {"name": "x", "namespace": "default"}, "spec": value, "data": value,
           "rules": value, "status": value, "endpoints": value}
    assert _all_field_errors(validate_object(info, obj))
    assert _all_field_errors(validate_object_update(info, obj, obj))
    assert _all_field_errors(validate_status_update(info, obj, {}))

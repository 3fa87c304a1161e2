"""Demo recordings (issue #8): scenario files run against a fresh embedded cluster
on a virtual clock, written as asciicast v2 (``k9py record``) and played back
(``k9py play``). See k9py/record/README.md for the scenario format."""

from k9py.record.scenario import ScenarioError, Vocabulary, load_scenario, parse_scenario

__all__ = ["ScenarioError", "Vocabulary", "load_scenario", "parse_scenario"]

"""YAML reading with YAML 1.2 booleans and dates left as text.

PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans: the profile contract's
`clearance: {on: 2026-10-30}` would lose its key. Only true/false are booleans here. Dates stay strings so
that the profile model parses them and an impossible date (2026-02-30) is reported with its field path.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

DROPPED_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"})


class Yaml12Loader(yaml.CSafeLoader):
    """Safe loader (libyaml, for speed) whose booleans are only true/false (any case)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in DROPPED_TAGS]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse YAML text (YAML 1.2 booleans); raises yaml.YAMLError on malformed input."""
    return yaml.load(text, Loader=Yaml12Loader)  # derived from SafeLoader: no arbitrary objects

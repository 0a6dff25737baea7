"""Tab completion at the walk prompt, derived from the scenario format's verbs and checks: ids
from the cast, labels from the screen the typed labels lead to (on a copy), facts and values."""

from __future__ import annotations

from typing import Any

from bindsim.errors import BindSimError
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import (
    CREATOR_FACTS,
    SHOP_FIELDS,
    VERBS,
    Checks,
    Field,
    Fields,
    Scalar,
    SetFacts,
    ValueType,
    Verb,
)
from bindsim.simulator.scenario.runner import caught_up
from bindsim.simulator.scenario.validate import Validator
from bindsim.simulator.world import World


class Completion:
    """cmd.Cmd's `completedefault` for the walk prompt; the shell gives `world` and `validator`."""

    world: World

    def validator(self) -> Validator:
        raise NotImplementedError

    def completedefault(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        words = line[:begidx].split()
        verb = words[0] if words else ""
        if verb in VERBS:
            shape = VERBS[verb].shape
            return _COMPLETE[type(shape)](self, VERBS[verb], text, line, begidx, endidx)
        if verb in ("shop", "creator") and len(words) >= 2:
            spec = SHOP_FIELDS if verb == "shop" else CREATOR_FACTS
            return self._complete_pairs(spec, text)
        return []

    def _values(
        self, value_type: ValueType, prefix: str, text: str, space: bool = True
    ) -> list[str]:
        end = " " if space else ""
        return [
            f"{prefix}{choice}{end}"
            for choice in value_type.choices(self.validator())
            if f"{prefix}{choice}".startswith(text)
        ]

    def _complete_pairs(self, spec: dict[str, Field], text: str) -> list[str]:
        """`name=` for each field, or `name=value` once the name is typed."""
        name, equals, _ = text.partition("=")
        if equals and name in spec:
            return self._values(spec[name].type, f"{name}=", text)
        return [f"{n}=" for n in spec if f"{n}=".startswith(text)]

    def _complete_fields(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        spec = verb.shape.fields()
        positional = [f for f in spec.values() if not f.named and not f.type.rest]
        rest_field = next((f for f in spec.values() if f.type.rest), None)
        typed = line[len(verb.name) : begidx].split()
        given = [w for w in typed if not ("=" in w and w.partition("=")[0] in spec)]
        name, equals, _ = text.partition("=")
        if equals and name in spec:
            return self._values(spec[name].type, f"{name}=", text)
        if len(given) < len(positional):
            spec_field = positional[len(given)]
            return self._values(spec_field.type, "", text)
        if rest_field is None:
            named = [f for f in spec.values() if f.named and f"{f.name}=" not in line]
            return [f"{f.name}=" for f in named if f"{f.name}=".startswith(text)]
        return self._complete_labels(verb, spec, len(positional), text, line, endidx)

    def _complete_labels(
        self, verb: Verb, spec: dict[str, Field], owners: int, text: str, line: str, endidx: int
    ) -> list[str]:
        """The labels shown after tapping (clicking) the labels typed before, on a copy."""
        parts = line[len(verb.name) : endidx].lstrip().split(" ", owners)
        if len(parts) <= owners:
            return []
        owner, rest = parts[0], parts[owners].lstrip()
        named: dict[str, str] = {}
        while True:
            word, space, after = rest.partition(" ")
            key, equals, value = word.partition("=")
            if not (equals and space and key in spec and not spec[key].type.rest):
                break
            named[key], rest = value, after.lstrip()
        earlier = [label.strip() for label in rest.split(",")[:-1]]
        partial = rest.split(",")[-1].lstrip()
        labels = self._labels_after(verb.name, owner, earlier, named.get("account"))
        if not earlier and not partial:
            labels += [f"{f.name}=" for f in spec.values() if f.named and f.name not in named]
        cut = len(partial) - len(text)
        if cut < 0:
            return []
        return [label[cut:] for label in labels if label.startswith(partial)]

    def _labels_after(
        self, verb: str, owner: str, earlier: list[str], account: str | None
    ) -> list[str]:
        if owner not in self.validator().shops | self.validator().creators:
            return []
        world = self.world
        if earlier:
            try:
                world = self.world.copy()  # cheap: the records are shared, being immutable
                for label in earlier:
                    if verb == "tap":
                        world.tap(owner, label)
                    else:
                        world.click(owner, label, account=account)
            except BindSimError:
                return []
        try:
            return list(world.screen(owner).visible)
        except BindSimError:
            return []

    def _complete_scalar(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        assert isinstance(verb.shape, Scalar)
        if len(line[:begidx].split()) > 1:
            return []
        if verb.shape.type.name == "time":
            return [f"{model.scalar(caught_up(self.world))} "]
        return self._values(verb.shape.type, "", text)

    def _complete_set(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        assert isinstance(verb.shape, SetFacts)
        words = line[:begidx].split()
        cast = self.validator()
        if len(words) < 2:
            return [f"{i} " for i in sorted(cast.shops | cast.creators) if i.startswith(text)]
        target = "shop" if words[1] in cast.shops else "creator"
        return self._complete_pairs(verb.shape.targets[target][1], text)

    def _complete_checks(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        words = line[:begidx].split()
        if len(words) < 2:
            return [f"{k} " for k in CHECKS if k.startswith(text)]
        kind = CHECKS.get(words[1])
        if kind is None:
            return []
        index = len(words) - 2
        if kind.subject and index < len(kind.subject):
            return self._values(kind.subject[index].type, "", text)
        if not kind.subject:
            return self._values(kind.facts[kind.name].type, "", text) if index == 0 else []
        spec = {name: Field(name, fact.type) for name, fact in kind.facts.items()}
        return self._complete_pairs(spec, text)


_COMPLETE: dict[type[Any], Any] = {
    Fields: Completion._complete_fields,
    Scalar: Completion._complete_scalar,
    SetFacts: Completion._complete_set,
    Checks: Completion._complete_checks,
}

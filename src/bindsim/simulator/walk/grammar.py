"""The walk prompt's one-line grammar (`invite gb alice`, `set alice network=US`), derived from
the scenario format's verbs: each line becomes the YAML flow text of one step, which the same
validator as a scenario file's then reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from bindsim.errors import InputError
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import VERBS, Checks, Fields, Scalar, SetFacts, Shape, Verb

_PAIR = re.compile(r"""(\w+)=(\[[^\]]*\]|\{[^}]*\}|"[^"]*"|'[^']*'|\S+)""")


def _word(value: str) -> str:
    return model.scalar(value)


def usage(verb: Verb) -> str:
    """`invite SHOP CREATOR [ROLE]`: a verb's one-line form, from its declaration."""
    return " ".join([verb.name, *_USAGE[type(verb.shape)](verb.shape)])


def _fields_usage(shape: Shape) -> list[str]:
    words = []
    for spec in shape.fields().values():
        word = "LABEL, LABEL, …" if spec.type.rest else spec.name.upper()
        if spec.named:
            word = f"{spec.name}={spec.name.upper()}"
        words.append(word if spec.required else f"[{word}]")
    return words


_USAGE: dict[type[Shape], Callable[[Shape], list[str]]] = {
    Fields: _fields_usage,
    Scalar: lambda shape: [shape.type.name.upper()] if isinstance(shape, Scalar) else [],
    SetFacts: lambda shape: ["CREATOR|SHOP", "fact=value", "…"],
    Checks: lambda shape: ["KIND", "SUBJECT…", "fact=value", "…"],
}


def translate(verb_name: str, arg: str, shops: Collection[str]) -> str:
    """The one-line form as YAML flow text for the validator; `shops` tells a shop's id from a
    creator's (for `set`)."""
    verb = VERBS.get(verb_name)
    if verb is None:
        raise InputError(f"unknown verb {verb_name!r}")
    return f"{verb_name}: {_TRANSLATE[type(verb.shape)](verb, arg.strip(), shops)}"


def pairs(text: str) -> str:
    """`key=value key=value` as YAML flow pairs; anything else is an InputError."""
    found = _PAIR.findall(text)
    leftover = _PAIR.sub("", text).strip()
    if leftover:
        raise InputError(f"expected key=value, got {leftover!r}")
    return ", ".join(f"{key}: {value}" for key, value in found)


def _fields_text(verb: Verb, arg: str, shops: Collection[str]) -> str:
    spec = verb.shape.fields()
    positional = [f for f in spec.values() if not f.named and not f.type.rest]
    rest_field = next((f for f in spec.values() if f.type.rest), None)
    values: dict[str, str] = {}
    remaining_text = arg
    while remaining_text:
        word, _, after = remaining_text.partition(" ")
        key, equals, value = word.partition("=")
        if equals and key in spec and not spec[key].type.rest:
            values[key] = _word(value)
        elif positional:
            values[positional.pop(0).name] = _word(word)
        elif rest_field is not None:
            labels = [_word(label.strip()) for label in remaining_text.split(",")]
            values[rest_field.name] = "[" + ", ".join(label for label in labels if label) + "]"
            break
        else:
            raise InputError(f"{verb.name} takes: {usage(verb).partition(' ')[2]}")
        remaining_text = after.strip()
    missing = [f.name for f in spec.values() if f.required and f.name not in values]
    if missing:
        raise InputError(f"{verb.name} takes: {usage(verb).partition(' ')[2]}")
    return "{" + ", ".join(f"{key}: {value}" for key, value in values.items()) + "}"


def _scalar_text(verb: Verb, arg: str, shops: Collection[str]) -> str:
    words = arg.split()
    if len(words) != 1:
        raise InputError(f"{verb.name} takes: {usage(verb).partition(' ')[2]}")
    return words[0]


def _set_text(verb: Verb, arg: str, shops: Collection[str]) -> str:
    owner, _, rest = arg.partition(" ")
    if not owner:
        raise InputError("set takes an id and facts: set alice network=US")
    key = "shop" if owner in shops else "creator"
    return f"{{{key}: {_word(owner)}, {pairs(rest)}}}"


def _checks_text(verb: Verb, arg: str, shops: Collection[str]) -> str:
    kind_name, _, rest = arg.partition(" ")
    if kind_name not in CHECKS:
        raise InputError(f"expect what? one of: {', '.join(CHECKS)}")
    kind = CHECKS[kind_name]
    words = rest.split()
    subject_words = words[: len(kind.subject)] if kind.subject else words[:1]
    names = [f.name.upper() for f in kind.subject] or [kind_name.upper()]
    if len(subject_words) < len(names):
        raise InputError(f"expect {kind_name} takes: {' '.join(names)} fact=value …")
    if not kind.subject:
        return f"{{{kind_name}: {subject_words[0]}}}"
    facts = pairs(" ".join(words[len(names) :]))
    if len(kind.subject) == 2:
        subject = ", ".join(
            f"{f.name}: {_word(w)}" for f, w in zip(kind.subject, subject_words, strict=True)
        )
        subject = "{" + subject + "}"
    else:
        subject = _word(subject_words[0])
    return f"{{{kind_name}: {subject}" + (f", {facts}" if facts else "") + "}"


_TRANSLATE: dict[type[Shape], Callable[[Verb, str, Collection[str]], str]] = {
    Fields: _fields_text,
    Scalar: _scalar_text,
    SetFacts: _set_text,
    Checks: _checks_text,
}

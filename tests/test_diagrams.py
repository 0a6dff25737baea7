"""Machine diagrams: every state and transition drawn, labelled in both languages, from metadata.

These tests read the generated DOT and Mermaid text, so they need no Graphviz installed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape
from typing import Any

import graphviz
import pytest

from bindsim import ManualClock, World, diagrams, machines
from bindsim.diagrams.render_dot import machine_graph
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.diagrams.words import after_text, duration_text
from bindsim.machines import Binding, Invitation, Ruleset, SupportTicket

MACHINES = list(diagrams.machine_classes().values())
IDS = [cls.__name__ for cls in MACHINES]


def compact(text: str) -> str:
    """Text without markup, line breaks or spaces, so that a wrapped, styled label matches."""
    return re.sub(r"\s+", "", re.sub(r"</?(br|font|i|b|table|tr|td)\b[^>]*>", "", text))


def contains_label(source: str, label: str) -> bool:
    return compact(escape(label, quote=True)) in compact(source)


def all_states(cls: Any) -> list[Any]:
    found, level = [], list(cls.states)
    while level:
        state = level.pop(0)
        found.append(state)
        level.extend(state.states)
    return found


def test_every_machine_of_the_registry_is_drawn_in_its_order() -> None:
    assert list(machines.MACHINES) == MACHINES
    assert {"Invitation", "Binding", "SupportTicket", "CreatorApp", "SellerCenter"} <= set(IDS)


@pytest.mark.parametrize("cls", MACHINES, ids=IDS)
def test_extraction_keeps_every_state_and_every_transition_of_the_machine(cls: Any) -> None:
    diagram = diagrams.extract(cls)
    assert {s.id for s in diagram.states} == {s.id for s in all_states(cls)}
    expected = {
        (t.source.id, target.id, str(event))
        for state in all_states(cls)
        for t in state.transitions
        for event in t.events
        for target in t.targets
    }
    assert {t.key for t in diagram.transitions} == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("cls", MACHINES, ids=IDS)
def test_dot_source_draws_every_state_and_transition_with_its_label_and_rules(
    cls: Any, lang: str
) -> None:
    diagram = diagrams.extract(cls)
    source = machine_graph(diagram, lang).source  # type: ignore[arg-type]
    for state in diagram.states:
        if state.compound:
            assert f"subgraph cluster_{state.id} {{" in source
        else:
            assert re.search(rf"^\s*{state.id} \[", source, re.M), state.id
        assert contains_label(source, state.label(lang)), state.label(lang)  # type: ignore[arg-type]
        for rule in state.rules:
            assert rule in source
    for transition in diagram.transitions:
        edge_id = f"{diagram.name}:{transition.source}-{transition.event}->{transition.target}"
        assert f'id="{edge_id}"' in source, edge_id
        assert contains_label(source, transition.label(lang)), transition.label(lang)  # type: ignore[arg-type]
        for rule in transition.rules:
            assert rule in source
    assert contains_label(source, diagram.title(lang))  # type: ignore[arg-type]


def test_labels_come_from_the_machines_metadata_in_each_language() -> None:
    english = machine_graph(diagrams.extract(Binding), "en").source
    chinese = machine_graph(diagrams.extract(Binding), "zh").source
    assert "locked (no unbinding)" in english and "绑定中" not in english
    assert "绑定中" in chinese and "已解绑" in chinese and "长期绑定中" in chinese
    assert contains_label(chinese, "锁定期(不可解绑)")


def test_compound_state_bound_is_a_cluster_around_its_substates() -> None:
    source = machine_graph(diagrams.extract(Binding), "en").source
    cluster = source[source.index("subgraph cluster_bound {") :]
    cluster = cluster[: cluster.index("\n\t}")]
    for child in ("locked", "unlockable", "unlink_requested"):
        assert re.search(rf"^\s*{child} \[", cluster, re.M)
    assert not re.search(r"^\s*stuck \[", cluster, re.M)


def test_final_states_have_a_double_border_and_error_states_their_own_colour() -> None:
    source = machine_graph(diagrams.extract(Binding), "en").source
    unbound = re.search(r"^\s*unbound \[(.*)\]$", source, re.M)
    failed = re.search(r"^\s*failed \[(.*)\]$", source, re.M)
    bound = re.search(r"^\s*locked \[(.*)\]$", source, re.M)
    assert unbound and failed and bound
    assert "peripheries=2" in unbound.group(1) and "peripheries" not in bound.group(1)
    assert 'fillcolor="#fdecea"' in failed.group(1)  # R-STUCK, R-TICKET: the failure is red
    assert 'fillcolor="#fdecea"' not in unbound.group(1)


def test_guards_are_shown_in_words_within_brackets() -> None:
    english = machine_graph(diagrams.extract(Invitation), "en").source
    chinese = machine_graph(diagrams.extract(Invitation), "zh").source
    assert contains_label(english, "[account still eligible, network region = shop country]")
    assert contains_label(chinese, "[账号仍符合要求,网络地址与经营国家一致]")


def test_timers_are_shown_on_their_transitions_with_the_ruleset_durations() -> None:
    # R-INVITE-48H, R-LOCK-24H, A-TICKET-TIME
    assert "after 48h" in machine_graph(diagrams.extract(Invitation), "en").source
    assert "48 小时后" in machine_graph(diagrams.extract(Invitation), "zh").source
    assert "after 24h" in machine_graph(diagrams.extract(Binding), "en").source
    assert "24 小时后" in machine_graph(diagrams.extract(SupportTicket), "zh").source
    faster = Ruleset().with_overrides({"invite_ttl": "72h", "unbind_lock": "1h"})
    assert "after 72h" in machine_graph(diagrams.extract(Invitation, ruleset=faster), "en").source
    expire = next(t for t in diagrams.extract(Binding, ruleset=faster).transitions if t.timer)
    assert expire.timer is not None and expire.timer.en == "after 1h"


def test_durations_read_as_trainers_say_them() -> None:
    assert duration_text(timedelta(hours=48)).en == "48h"
    assert duration_text(timedelta(hours=48)).zh == "48 小时"
    assert duration_text(timedelta(days=180)).zh == "180 天"
    assert duration_text(timedelta(minutes=90)).en == "1h 30min"
    assert after_text(timedelta(hours=24)).zh == "24 小时后"


def test_a_live_machine_is_drawn_with_its_active_states_highlighted() -> None:
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    record = world.binding("gb", "alice")
    diagram = diagrams.extract(record)  # a World record: its machine class and active states
    assert diagram.active == {"bound", "locked"}
    source = machine_graph(diagram, "zh").source
    assert re.search(r"^\s*locked \[.*class=active", source, re.M)
    assert not re.search(r"^\s*unlockable \[.*class=active", source, re.M)
    assert "class=active" in source[source.index("subgraph cluster_bound") :].split("\n")[1]
    assert "当前状态" in source
    world.advance("24h")  # R-LOCK-24H: the highlight follows the machine (ask for it again)
    assert diagrams.extract(world.binding("gb", "alice")).active == {"bound", "unlockable"}
    assert diagrams.extract(record).active == {"bound", "locked"}  # a record is a value


def test_a_class_has_nothing_highlighted_unless_asked() -> None:
    assert "class=active" not in machine_graph(diagrams.extract(Binding)).source
    chosen = diagrams.extract(Binding, highlight=["stuck"])
    assert re.search(r"^\s*stuck \[.*class=active", machine_graph(chosen).source, re.M)
    with pytest.raises(KeyError, match="no state nowhere"):
        diagrams.extract(Binding, highlight=["nowhere"])


def test_machines_are_found_by_the_names_people_type() -> None:
    assert diagrams.find_machine("binding") is Binding
    assert diagrams.find_machine("Support_Ticket") is SupportTicket
    assert diagrams.find_machine("ticket") is SupportTicket
    assert diagrams.find_machine("绑定邀请") is Invitation
    assert diagrams.file_stem(SupportTicket) == "support_ticket"
    with pytest.raises(diagrams.UnknownMachine, match="no machine called 'nosuch'") as caught:
        diagrams.find_machine("nosuch")
    assert isinstance(caught.value, ValueError) and "SupportTicket" in caught.value.choices


# ----------------------------------------------------------------------------- Mermaid

_MERMAID_LINE = [
    re.compile(r"stateDiagram-v2"),
    re.compile(r"direction (LR|TB)"),
    re.compile(r"%% .*"),
    re.compile(r'state "[^"\n]+" as [A-Za-z_]\w*( \{)?'),
    re.compile(r"\}"),
    re.compile(r"\[\*\] --> [A-Za-z_]\w*"),
    re.compile(r"[A-Za-z_]\w* --> \[\*\]"),
    re.compile(r"[A-Za-z_]\w* --> [A-Za-z_]\w* : [^:;{}\"<>#]+"),
    re.compile(r"classDef \w+ [\w#:,.\-]+"),
    re.compile(r"class [\w,]+ \w+"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("cls", MACHINES, ids=IDS)
def test_mermaid_output_is_state_diagram_v2_line_by_line(cls: Any, lang: str) -> None:
    diagram = diagrams.extract(cls)
    text = mermaid(diagram, lang)  # type: ignore[arg-type]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "stateDiagram-v2"
    depth = 0
    for line in lines:
        assert any(p.fullmatch(line) for p in _MERMAID_LINE), f"not stateDiagram-v2: {line!r}"
        depth += line.endswith("{") - (line == "}")
        assert depth >= 0
    assert depth == 0
    flat = "\n".join(lines)
    declared = set(re.findall(r'^state "[^"]+" as (\w+)', flat, re.M))
    assert declared == {s.id for s in diagram.states}
    arrows = set(re.findall(r"^(\w+) --> (\w+) : ", flat, re.M))
    assert arrows == {(t.source, t.target) for t in diagram.transitions}
    assert f"[*] --> {diagram.initial().id}" in text  # type: ignore[union-attr]
    for transition in diagram.transitions:
        assert transition.label(lang).split(":")[0].split(":")[0] in text  # type: ignore[arg-type]


def test_mermaid_nests_compound_states_and_colours_final_error_and_active() -> None:
    text = mermaid(diagrams.extract(Binding, highlight=["bound", "locked"]), "en")
    block = text[text.index("as bound {") : text.index("\n    }")]
    assert "[*] --> locked" in block and "locked --> unlockable : lock ends (after 24h)" in block
    assert "unlink_requested --> unbound" in text.split("\n    }")[1]  # crosses the border
    assert "class unbound final" in text
    assert "class stuck,failed error" in text
    assert "class locked active" in text


def test_render_returns_mermaid_and_dot_text_without_graphviz() -> None:
    assert diagrams.render(Invitation, "mermaid", "zh").decode().startswith("stateDiagram-v2")
    assert diagrams.render(Invitation, "dot", "zh").decode().startswith("digraph Invitation")
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        diagrams.render(Invitation, "gif")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        diagrams.render(Invitation, "dot", "fr")


def test_a_picture_format_is_one_registered_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20: formats are registered (as python-statemachine's Formatter does), not chained
    as `if fmt == ...`: a new text format is one function, and every plan and render uses it."""
    from bindsim.diagrams import output

    monkeypatch.setitem(
        output.PICTURE_FORMATS,
        "states",
        output.PictureFormat("states", "txt", lambda source: source.graph.name or "nameless"),
    )
    graph = graphviz.Digraph("Invitation")
    planned = output.graph_files(graph, "x", ["states", "dot"])
    assert [(p.path, p.text) for p in planned if isinstance(p, output.TextFile)] == [
        ("x.txt", "Invitation"),
        ("x.dot", graph.source),
    ]
    assert output.draw(graph, "states") == b"Invitation"
    with pytest.raises(ValueError, match="unknown format 'gif'; choose one of: svg, png"):
        output.draw(graph, "gif")

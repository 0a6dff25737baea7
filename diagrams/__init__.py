"""Pictures of the machines for trainers: state diagrams, live states, traces and timelines.

Three stages, as in python-statemachine's contrib/diagram: `extract` turns a machine into plain
data (`model`), renderers turn that data into Graphviz graphs or Mermaid text, and `output`
draws them with the system's `dot` into svg, png or pdf. Labels come from the machines' own
bilingual metadata (`title`, `nodes`, `edges`), in English or Chinese.

>>> from bindsim.machines import Binding
>>> diagram = extract(Binding)
>>> [s.id for s in diagram.children("bound")]
['locked', 'unlockable', 'unlink_requested']
>>> next(t.timer("zh") for t in diagram.transitions if t.event == "unlock")
'24 小时后'
"""

from bindsim.diagrams.extract import (
    UnknownMachine,
    extract,
    file_stem,
    find_machine,
    machine_classes,
)
from bindsim.diagrams.fonts import cjk_fonts, dot_fonts, font_covers_chinese
from bindsim.diagrams.gallery import write_gallery
from bindsim.diagrams.model import (
    Lane,
    MachineDiagram,
    Mark,
    Span,
    StateInfo,
    Timeline,
    Trace,
    TraceRefusal,
    TraceStep,
    TransitionInfo,
)
from bindsim.diagrams.output import (
    FORMATS,
    GraphvizMissing,
    dot_available,
    draw,
    render,
    write,
    write_machines,
)
from bindsim.diagrams.render_dot import machine_graph, trace_graph
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.diagrams.render_timeline import timeline_graph
from bindsim.diagrams.runs import Run, timeline_picture, trace_graphs, write_run
from bindsim.diagrams.timeline import timeline
from bindsim.diagrams.trace import traces

__all__ = [
    "FORMATS",
    "GraphvizMissing",
    "Lane",
    "MachineDiagram",
    "Mark",
    "Run",
    "Span",
    "StateInfo",
    "Timeline",
    "Trace",
    "TraceRefusal",
    "TraceStep",
    "TransitionInfo",
    "UnknownMachine",
    "cjk_fonts",
    "dot_available",
    "dot_fonts",
    "draw",
    "extract",
    "file_stem",
    "find_machine",
    "font_covers_chinese",
    "machine_classes",
    "machine_graph",
    "mermaid",
    "render",
    "timeline",
    "timeline_graph",
    "timeline_picture",
    "trace_graph",
    "trace_graphs",
    "traces",
    "write",
    "write_gallery",
    "write_machines",
    "write_run",
]

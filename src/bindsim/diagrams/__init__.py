"""Pictures of the machines for trainers: state diagrams, live states, traces and timelines.

Three stages, as in python-statemachine's contrib/diagram: `extract` turns a machine into plain
data (`model`), renderers turn that data into Graphviz graphs or Mermaid text, and `drawing`
draws them with the system's `dot` into svg, png or pdf: one call per picture for all its
formats, in parallel, through a content-addressed cache. Labels come from the machines' own
bilingual metadata (the title, and each state's Node and event's Edge as machines/spec.py reads
them), in English or Chinese. Nothing here writes a file: `output`, `runs`, `gallery` and
`storyboard` make plans (`Drawing`, `TextFile`) and bytes, and the command layer writes them.

>>> from bindsim.machines import Binding
>>> diagram = extract(Binding)
>>> [s.id for s in diagram.children("bound")]
['locked', 'unlockable', 'unlink_requested']
>>> next(t.timer("zh") for t in diagram.transitions if t.event == "unlock")
'24 小时后'
"""

from bindsim.diagrams.animate import animated_trace
from bindsim.diagrams.drawing import DEFAULT_DPI, GRAPHVIZ_BUG, Cache, Job, Renderer, dot_available
from bindsim.diagrams.extract import extract, file_stem, find_machine, machine_classes
from bindsim.diagrams.fonts import cjk_fonts, dot_fonts, font_covers_chinese
from bindsim.diagrams.gallery import Entry, gallery_files
from bindsim.diagrams.model import (
    Exercised,
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
    LAYOUT_CHOICES,
    Derived,
    Drawing,
    Later,
    LayoutChooser,
    Planned,
    TextFile,
    draw,
    machine_files,
    output_stem,
    render,
    scenario_stem,
)
from bindsim.diagrams.render_dot import coverage_graph, machine_graph, trace_graph
from bindsim.diagrams.render_gantt import gantt
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.diagrams.render_timeline import timeline_graph
from bindsim.diagrams.runs import (
    Run,
    run_files,
    timeline_gantt,
    timeline_picture,
    timeline_slides,
    trace_graphs,
    trace_slides,
)
from bindsim.diagrams.slides import SlideMaker
from bindsim.diagrams.storyboard import Storyboard
from bindsim.diagrams.storyboard_plan import StoryboardPictures, storyboard_files
from bindsim.diagrams.timeline import timeline
from bindsim.diagrams.trace import group_traces, traces
from bindsim.errors import GraphvizFailed, GraphvizMissing, UnknownMachine

__all__ = [
    "DEFAULT_DPI",
    "FORMATS",
    "LAYOUT_CHOICES",
    "Cache",
    "Derived",
    "Drawing",
    "Entry",
    "Exercised",
    "GRAPHVIZ_BUG",
    "GraphvizFailed",
    "GraphvizMissing",
    "Job",
    "Lane",
    "LayoutChooser",
    "Later",
    "MachineDiagram",
    "Mark",
    "Planned",
    "Renderer",
    "Run",
    "SlideMaker",
    "Span",
    "Storyboard",
    "StoryboardPictures",
    "StateInfo",
    "TextFile",
    "Timeline",
    "Trace",
    "TraceRefusal",
    "TraceStep",
    "TransitionInfo",
    "UnknownMachine",
    "animated_trace",
    "cjk_fonts",
    "dot_available",
    "dot_fonts",
    "draw",
    "extract",
    "file_stem",
    "find_machine",
    "font_covers_chinese",
    "gallery_files",
    "gantt",
    "group_traces",
    "machine_classes",
    "machine_files",
    "output_stem",
    "machine_graph",
    "coverage_graph",
    "mermaid",
    "render",
    "scenario_stem",
    "run_files",
    "storyboard_files",
    "timeline",
    "timeline_gantt",
    "timeline_graph",
    "timeline_picture",
    "timeline_slides",
    "trace_graph",
    "trace_graphs",
    "trace_slides",
    "traces",
]

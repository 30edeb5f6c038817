"""Write ``report.json``, ``report.md`` and ``report.html`` (plots as PNG files and embedded in the HTML)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from eval.report.collect import EvalRun, headline
from eval.report.plots import Plot, all_plots

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "—" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))
    env.filters["signed"] = lambda v: f"{v:+.4g}" if v else "0"
    return env


def write_report(run: EvalRun, out: Path, plots: list[Plot] | None = None) -> list[Path]:
    """Write the three reports and the plot PNGs into ``out``.

    Args:
        run: What was measured.
        out: Target folder (created).
        plots: Figures to include; drawn from ``run`` when not given.

    Returns:
        The files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    plots = all_plots(run.suites, run.seconds) if plots is None else plots
    written = []
    for plot in plots:
        path = out / f"{plot.name}.png"
        path.write_bytes(plot.png)
        written.append(path)
    context = {
        "run": run,
        "tables": {suite: headline(metrics) for suite, metrics in run.suites.items()},
        "delta": run.previous.delta if run.previous else {},
        "plots": [{"name": p.name, "title": p.title, "b64": base64.b64encode(p.png).decode()} for p in plots],
    }
    env = _environment()
    for name in ("report.md", "report.html"):
        path = out / name
        path.write_text(env.get_template(f"{name}.j2").render(**context), encoding="utf-8")
        written.append(path)
    path = out / "report.json"
    path.write_text(json.dumps(run.model_dump(mode="json"), indent=1, default=str), encoding="utf-8")
    return [path, *written]

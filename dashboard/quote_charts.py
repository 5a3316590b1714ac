"""Pure chart builders of the Quotes page: DataFrame in, Altair chart out."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from dashboard.charts import PICK, _time_tooltip, _time_x, heatmap, with_key


def speaker_lines(df: pd.DataFrame, grain: str) -> Any:
    """Quotes per period, one line per speaker (columns bucket, speaker_id, speaker, quotes)."""
    pick = alt.selection_point(name=PICK, fields=["key", "speaker_id"], on="click", nearest=True)
    base = alt.Chart(with_key(df, grain)).encode(
        x=_time_x(grain), y=alt.Y("quotes:Q", title="Quotes"), color=alt.Color("speaker:N", title="Speaker")
    )
    points = base.mark_point(filled=True).encode(
        size=alt.condition(pick, alt.value(120), alt.value(40)),
        tooltip=[_time_tooltip(grain), alt.Tooltip("speaker:N", title="Speaker"), alt.Tooltip("quotes:Q")],
    ).add_params(pick)
    return alt.layer(base.mark_line(strokeWidth=2), points).properties(height=320)


def speaker_target_heatmap(df: pd.DataFrame) -> alt.Chart:
    """Quotes per speaker (rows) and actor spoken about (columns)."""
    chart = heatmap(df, x="target", x_title="About (target)", y="speaker", y_title="Speaker",
                    fields=["speaker_id", "target_id"], value="quotes")
    return chart.encode(
        color=alt.Color("quotes:Q", title="Quotes", scale=alt.Scale(scheme="blues")),
        tooltip=["speaker:N", "target:N", alt.Tooltip("quotes:Q", title="Quotes")],
    )

"""Filters for the candidate's pages."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def brief_html(text: str) -> str:
    """A scenario brief (Markdown written by programme staff) as HTML, sanitised all the same:
    a pack is data, and data never gets to run script on a candidate's page."""
    html = markdown_lib.markdown(text or "", extensions=["tables"])
    return mark_safe(nh3.clean(html))  # noqa: S308 - nh3 has just sanitised it


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def number(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"

"""Show untrusted text literally in Streamlit's markdown and HTML elements."""

from __future__ import annotations

import html
import re

__all__ = ["html_text", "markdown_literal"]

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it leaves
# nothing markdown (or raw HTML) could act on, and the reader sees the text as written
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(text: str) -> str:
    r"""``text`` for a markdown element (labels, st.error, st.caption), shown as written.

    >>> markdown_literal("<script>*x*</script>")
    '\\<script\\>\\*x\\*\\<\\/script\\>'
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def html_text(text: str) -> str:
    """``text`` escaped for HTML (quotes too), shown as written."""
    return html.escape(text, quote=True)

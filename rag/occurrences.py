"""Find where a video says some words, as Ctrl-F would, but across caption lines and forgiving a plural."""

from __future__ import annotations

import re

from yt_transcript.ingest.models import Occurrence, Snippet

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*")


def occurrences(video_id: str, snippets: list[Snippet], words: str) -> list[Occurrence]:
    """Every line of the transcript where `words` are said in order (case, punctuation and a plural "s"
    aside), the line that starts them; a phrase running over line breaks is found on its first line."""
    wanted = [_base(t) for t in _TOKEN.findall(words.casefold())]
    if not wanted:
        return []
    lines = [[_base(t) for t in _TOKEN.findall(s.text.casefold())] for s in snippets]
    found = []
    for i, tokens in enumerate(lines):
        # The words may start on this line and end lines later (word-timed captions cut at every pause).
        joined, last = list(tokens), i
        while len(joined) < len(tokens) + len(wanted) - 1 and last + 1 < len(lines):
            last += 1
            joined += lines[last]
        starts = [j for j in range(len(tokens)) if joined[j:j + len(wanted)] == wanted]
        if starts:
            end, used, count = starts[0] + len(wanted), i, len(tokens)
            while count < end:  # the lines the first match runs over
                used += 1
                count += len(lines[used])
            found.append(Occurrence(video_id, snippets[i].start_s, " ".join(s.text for s in snippets[i:used + 1])))
    return found


def _base(token: str) -> str:
    """The token without a plural ending: "strawberries" and "strawberry" meet, as do "tokens" and "token"."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token

"""Find where a video says some words, as Ctrl-F would, but across caption lines and forgiving a plural."""

from __future__ import annotations

import re
from collections.abc import Callable

from yt_transcript.ingest.models import Occurrence, Snippet

_TOKEN = re.compile(r"\w+(?:'\w+)*")
_CONTEXT_WORDS = 12  # an occurrence's text runs at least this many words from where the words start
_BEFORE_WORDS = 4  # and shows this many words before them, from the line before when need be
_PART_MIN = 4  # letters of each half of a compound split in two ("batch norm")
_PREFIX_MIN = 4  # letters a last word needs to be looked for as the start of longer ones ("thi" is not "this")


def occurrences(video_id: str, snippets: list[Snippet], words: str, *, as_read: bool = False) -> list[Occurrence]:
    """Every line of the transcript where `words` are said in order (case, punctuation, the apostrophe's
    shape and a plural aside; a CamelCase word also as the words its capitals mark, and a compound joined or
    spaced), the line that starts them; a phrase over line breaks is found on its first. Where they are said
    nowhere, a last word of _PREFIX_MIN letters or more may start a longer one ("Biopsych" finds
    "biopsychological"), as Ctrl-F finds, and each place says so (in_part).
    Each occurrence's text reads on to at least _CONTEXT_WORDS words from the match, and shows a few words
    before it (from the line before, after "… ", though it plays from the line that says the words).
    as_read: the text is shown as a reader reads automatic captions (sentences.as_read: fillers out)."""
    from yt_transcript.rag.sentences import as_read as read

    shown = read if as_read else (lambda text: text)
    if not _forms(words):
        return []
    lines = [_forms(s.text) for s in snippets]
    spellings = [_forms(w) for w in dict.fromkeys([words, _camel_split(words), *_spaced_or_joined(words, lines)])]
    found = _places(video_id, snippets, lines, spellings, shown, prefix=False)
    typed = _TOKEN.findall(words.casefold().replace("\u2019", "'"))[-1]
    if not found and len(typed) >= _PREFIX_MIN:  # the word as typed: "mars" is no start of "market"
        found = _places(video_id, snippets, lines, [spellings[0][:-1] + [frozenset([typed])]], shown, prefix=True)
    return found


def _places(video_id: str, snippets: list[Snippet], lines: list[list[frozenset]], spellings: list[list[frozenset]],
            shown: Callable[[str], str], prefix: bool) -> list[Occurrence]:
    found = []
    for i, tokens in enumerate(lines):
        for wanted in spellings:
            # The words may start on this line and end lines later (word-timed captions cut at every pause).
            joined, last = list(tokens), i
            while len(joined) < len(tokens) + len(wanted) - 1 and last + 1 < len(lines):
                last += 1
                joined += lines[last]
            starts = [j for j in range(len(tokens)) if _said_at(joined, j, wanted, prefix)]
            if starts:
                break
        if starts:
            end, used, count = starts[0] + len(wanted), i, len(tokens)
            while count < end:  # the lines the first match runs over
                used += 1
                count += len(lines[used])
            # Word-timed captions may hold the word alone on a line: read on far enough to tell places apart.
            while count - starts[0] < _CONTEXT_WORDS and used + 1 < len(lines):
                used += 1
                count += len(lines[used])
            text = shown(" ".join(s.text for s in snippets[i:used + 1]))
            before, k = [], i  # and the words just before, from the lines before when its line starts on them
            while starts[0] + len(before) < _BEFORE_WORDS and k > 0:
                k -= 1
                before = snippets[k].text.split() + before
            lead = shown(" ".join(before[-(_BEFORE_WORDS - starts[0]):])) if before else ""
            if lead:
                text = f"… {lead} {text}"
            found.append(Occurrence(video_id, snippets[i].start_s, text, in_part=prefix))
    return found


def _spaced_or_joined(words: str, lines: list[list[frozenset]]) -> list[str]:
    """The other spelling of a compound, so "batchnorm", "batch norm" and "BatchNorm" find the same places:
    two or three words joined, or one long word split where both halves are words the transcript says (four
    letters each at least, so "therapist" is never "the rapist")."""
    tokens = _TOKEN.findall(words.casefold())
    if 2 <= len(tokens) <= 3:
        return ["".join(tokens)]
    if len(tokens) != 1 or len(tokens[0]) < 2 * _PART_MIN:
        return []
    said = {form for line in lines for token in line for form in token}
    word = tokens[0]
    return [f"{word[:i]} {word[i:]}" for i in range(_PART_MIN, len(word) - _PART_MIN + 1)
            if word[:i] in said and word[i:] in said][:1]


def _camel_split(words: str) -> str:
    """A word written in CamelCase as the words its capitals mark ("SolidGoldMagikarp", "ChatGPT"), as speech
    captions spell it ("solid gold Magikarp", "chat GPT"); other words as they are."""
    # Not after one lower-case letter ("iPhone"), nor before a plural's "s" ("LLMs", "APIs").
    return re.sub(r"(?<=[a-z]{2})(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})", " ", words)


def _said_at(tokens: list[frozenset], j: int, wanted: list[frozenset], prefix: bool = False) -> bool:
    """Whether the wanted words are said from tokens[j] on; with `prefix`, the last may start a longer word."""
    if j + len(wanted) > len(tokens) or not all(tokens[j + k] & w for k, w in enumerate(wanted[:-1])):
        return False
    said, last = tokens[j + len(wanted) - 1], wanted[-1]
    return bool(said & last) or prefix and any(t.startswith(w) for t in said for w in last)


def _forms(text: str) -> list[frozenset]:
    """Each word of the text with the singulars it may be the plural of: "movies" may be "movie" or "movy",
    "strawberries" "strawberry", "classes" "class"; two words match when their forms meet."""
    return [_plural_forms(t) for t in _TOKEN.findall(text.casefold().replace("\u2019", "'"))]


def _plural_forms(token: str) -> frozenset:
    forms = {token}
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        forms.add(token[:-1])
        if token.endswith("es"):
            forms.add(token[:-2])
        if len(token) > 4 and token.endswith("ies"):
            forms.add(token[:-3] + "y")
    return frozenset(forms)

"""Multi-turn questions: a follow-up is rewritten into a standalone question before retrieval."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from yt_transcript.ingest.embedding import Embedder
from yt_transcript.ingest.models import Answer
from yt_transcript.ingest.settings import RetrievalSettings
from yt_transcript.ingest.storage import Storage
from yt_transcript.rag.answer import ask
from yt_transcript.rag.llm import ChatModel
from yt_transcript.rag.retrieve import SearchOptions, close_matches, search
from yt_transcript.rag.stopwords import content_words as own_words  # none: it can only follow on

CONDENSE_PROMPT = """Rewrite the follow-up question so that it can be understood without the conversation.
Keep its meaning; replace pronouns like "it", "that" or "they" with what they refer to. Reply with the
question only.

Conversation:
{history}

Follow-up question: {question}
Standalone question:"""

_REFERRING = re.compile(r"\b(it|its|that|this|those|these|they|them|their|he|she|him|her|there|then)\b", re.I)
_OWN_WORDS = 2  # a question pointing back with at most this many content words of its own is a follow-up
# In a talk "he" or "she" is most often its speaker or guest, not something the last question named: "does he
# think aliens exist?" after "why did Tesla drop radar?" is a question of its own.
_PERSONAL = frozenset("he she him her".split())
MAX_TURNS = 6  # earlier turns a model reads to rewrite a follow-up


def condense_offline(question: str, history: list[tuple[str, str]],
                     found_alone: Callable[[str], bool] | None = None) -> str:
    """Without a model: a follow-up borrows the last question's words. It says nothing of its own ("why?"), or
    points back and says little ("and why is that?", "how do they fix it?"). A short question of its own
    ("what is a token?") stands alone: a student asks many of those in a row, and the last one's words would
    pull its answer away. So does one that points only at a person and names something ("does he think aliens
    exist?", not "why did she stop?") when `found_alone` (a search of it by itself, within one video, whose
    speaker "he" most likely is) finds what it asks about."""
    if not history:
        return question
    own = own_words(question)
    pointers = {m.lower() for m in _REFERRING.findall(question)}
    follows = not own or (bool(pointers) and len(own) <= _OWN_WORDS)
    # Naming as much as a follow-up may (one word, "why did she stop?", names too little to search alone).
    names = len(own) == _OWN_WORDS
    if follows and names and pointers <= _PERSONAL and found_alone is not None and found_alone(question):
        follows = False
    return f"{_topic(history)} {question}" if follows else question


def _topic(history: list[tuple[str, str]]) -> str:
    """The question a chain of follow-ups hangs on: "how is it treated?" after "what is narcolepsy?" and "why?"
    reads "what is narcolepsy? how is it treated?", not all three (history holds each turn as read, so a
    follow-up is its topic and its own words). A follow-up that points only at a person and names something
    ("what does he say about hallucinations?") is what the next one's "it" means: it becomes the topic."""
    topic = history[0][0]
    for asked, _ in history[1:]:
        if not asked.startswith(topic + " "):
            topic = asked  # a question of its own
            continue
        followed = asked[len(topic) + 1:]
        pointers = {m.lower() for m in _REFERRING.findall(followed)}
        if own_words(followed) and pointers and pointers <= _PERSONAL:
            topic = followed
    return topic


def standalone(question: str, history: list[tuple[str, str]], model: ChatModel | None,
               found_alone: Callable[[str], bool] | None = None) -> str:
    """The question as retrieval should read it, given the earlier (question, answer) turns: rewritten by the
    model, or offline by `condense_offline`."""
    if not history:
        return question
    if model is None:
        return condense_offline(question, history, found_alone)
    turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history[-MAX_TURNS:])
    text = model.complete(CONDENSE_PROMPT.format(history=turns, question=question))
    return text.strip().splitlines()[0].strip() if text and text.strip() else question


def followed_answers(query: str, question: str, history: list[tuple[str, str]]) -> str:
    """The answers a follow-up follows, whose quotes it should not repeat: every turn on its topic when it was
    read offline with that topic, else (rewritten by a model) the last answer; "" for a question of its own."""
    if not history or query == question:
        return ""
    topic = query[:-len(question)].rstrip() if query.endswith(" " + question) else ""
    on_topic = [a for q, a in history if topic and (q == topic or q.startswith(topic + " "))]
    return "\n".join(on_topic) if on_topic else history[-1][1]


@dataclass
class ChatSession:
    """A conversation about the library (or some videos) that remembers its earlier turns."""

    storage: Storage
    embedder: Embedder
    settings: RetrievalSettings
    options: SearchOptions
    model: ChatModel | None = None  # None: offline quotes
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer text)
    max_turns: int = MAX_TURNS  # earlier turns kept in the prompt
    on_answer: Callable[[str, Answer], None] | None = None  # each turn's (query as read, answer): kept in notes

    def standalone(self, question: str) -> str:
        """The question as retrieval should see it."""
        return standalone(question, self.history[-self.max_turns:], self.model, self.found_alone)

    def found_alone(self, question: str) -> bool:
        """Whether a search of the question by itself finds a passage close enough to count as found; never
        across videos, where "he" may be any of their speakers."""
        if self.options.one_video is None:
            return False
        hits = search(self.storage, self.embedder, question, self.options)
        return bool(close_matches(hits, self.settings.relevance_threshold))

    def ask(self, question: str, on_token: Callable[[str], None] | None = None) -> tuple[str, Answer]:
        """Answer a turn; returns (the standalone question used for retrieval, the answer)."""
        query = self.standalone(question)
        answer = ask(self.storage, self.embedder, query, self.settings, self.options, self.model,
                     history=self.history[-self.max_turns:], on_token=on_token,
                     shown=followed_answers(query, question, self.history[-self.max_turns:]))
        answer.question, answer.asked_as = question, (query if query != question else None)
        self.history.append((query, answer.text))  # as read: a chain of follow-ups keeps its topic
        if self.on_answer is not None:
            self.on_answer(query, answer)
        return query, answer

    def clear(self) -> None:
        """Forget the conversation."""
        self.history.clear()

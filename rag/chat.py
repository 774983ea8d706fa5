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
from yt_transcript.rag.retrieve import SearchOptions

CONDENSE_PROMPT = """Rewrite the follow-up question so that it can be understood without the conversation.
Keep its meaning; replace pronouns like "it", "that" or "they" with what they refer to. Reply with the
question only.

Conversation:
{history}

Follow-up question: {question}
Standalone question:"""

_REFERRING = re.compile(r"\b(it|its|that|this|those|these|they|them|their|he|she|him|her|there|then)\b", re.I)


def condense_offline(question: str, history: list[tuple[str, str]]) -> str:
    """Without a model: a follow-up that refers back ("and why is that?") borrows the last question's words."""
    if not history:
        return question
    words = question.split()
    if len(words) <= 6 or _REFERRING.search(question):
        return f"{history[-1][0]} {question}"
    return question


@dataclass
class ChatSession:
    """A conversation about the library (or some videos) that remembers its earlier turns."""

    storage: Storage
    embedder: Embedder
    settings: RetrievalSettings
    options: SearchOptions
    model: ChatModel | None = None  # None: offline quotes
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer text)
    max_turns: int = 6  # earlier turns kept in the prompt

    def standalone(self, question: str) -> str:
        """The question as retrieval should see it."""
        if not self.history:
            return question
        if self.model is None:
            return condense_offline(question, self.history)
        turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in self.history[-self.max_turns:])
        text = self.model.complete(CONDENSE_PROMPT.format(history=turns, question=question))
        return text.splitlines()[0].strip() if text else question

    def ask(self, question: str, on_token: Callable[[str], None] | None = None) -> tuple[str, Answer]:
        """Answer a turn; returns (the standalone question used for retrieval, the answer)."""
        query = self.standalone(question)
        answer = ask(self.storage, self.embedder, query, self.settings, self.options, self.model,
                     history=self.history[-self.max_turns:], on_token=on_token)
        self.history.append((question, answer.text))
        return query, answer

    def clear(self) -> None:
        """Forget the conversation."""
        self.history.clear()

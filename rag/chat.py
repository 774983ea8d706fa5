"""Multi-turn questions: a follow-up is rewritten into a standalone question before retrieval."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.embedding import Embedder
from ingest.library import Library
from ingest.settings import Settings
from rag.answer import Answer, ask
from rag.llm import chat_model, configured_model, map_llm_error
from rag.retrieve import SearchOptions

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

    library: Library
    embedder: Embedder
    settings: Settings
    model: str | None = None
    options: SearchOptions | None = None
    llm: object | None = None  # an injected LangChain chat model (tests); else built from model/settings
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer text)
    max_turns: int = 6  # earlier turns kept in the prompt

    def standalone(self, question: str) -> str:
        """The question as retrieval should see it."""
        if not self.history:
            return question
        spec = configured_model(self.settings, self.model) if self.llm is None else None
        if self.llm is None and spec is None:
            return condense_offline(question, self.history)
        llm = self.llm if self.llm is not None else chat_model(spec, self.settings)
        turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in self.history[-self.max_turns:])
        try:
            reply = llm.invoke(CONDENSE_PROMPT.format(history=turns, question=question))
        except Exception as exc:
            if spec is None:
                raise
            raise map_llm_error(exc, spec, self.settings) from None
        text = reply.content.strip() if isinstance(reply.content, str) else ""
        return text.splitlines()[0].strip() if text else question

    def ask(self, question: str, on_token: Callable[[str], None] | None = None) -> tuple[str, Answer]:
        """Answer a turn; returns (the standalone question used for retrieval, the answer)."""
        query = self.standalone(question)
        answer = ask(self.library, self.embedder, query, self.settings, model=self.model, llm=self.llm,
                     options=self.options, history=self.history[-self.max_turns:], on_token=on_token)
        self.history.append((question, answer.text))
        return query, answer

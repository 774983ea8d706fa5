"""The front door: one `Library` that ingests, lists, searches, answers, summarises, studies and exports.

The CLI, the app, the notebooks and users all come in here. It holds the settings, the storage, the
embedding models (loaded on first use) and the chat models, so no call has to thread them by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yt_transcript.ingest import errors
from yt_transcript.ingest.models import (
    AnkiDeck,
    Answer,
    Card,
    Chapter,
    Finding,
    Overview,
    SearchHit,
    Snippet,
    SourceResult,
    SyncReport,
    Transcript,
    VideoRecord,
)
from yt_transcript.ingest.settings import Settings
from yt_transcript.ingest.storage import Storage

if TYPE_CHECKING:
    import numpy as np

    from yt_transcript.ingest.embedding import Embedder
    from yt_transcript.ingest.pipeline import IngestOptions
    from yt_transcript.ingest.transcribe import WhisperTranscriber
    from yt_transcript.ingest.youtube import YouTubeClient
    from yt_transcript.rag.chat import ChatSession
    from yt_transcript.rag.llm import ChatModel
    from yt_transcript.rag.retrieve import SearchOptions
    from yt_transcript.rag.sentences import BreakOdds

Progress = Callable[[str, int, int], None]  # (stage label, done, total)
_SAME_PLACE_S = 20.0  # a passage this close to a place the words are said shows that same moment


class Library:
    """Everything ingested under one data home, and everything you can do with it.

    >>> lib = Library.open()                      # settings from YT_TRANSCRIPT_* variables
    >>> lib = Library.open("~/talks", model="openai:llama3.2", base_url="http://localhost:11434/v1")
    """

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, youtube: YouTubeClient | None = None,
                 llm: Any = None, storage: Storage | None = None):
        self.settings = settings
        self.storage = storage or Storage(settings)
        self._embedder = embedder  # injected (tests, notebooks with their own model), else loaded on first use
        # Models loaded on first use, shared with every `with_settings` copy on the same store (the app makes
        # one per session), and loaded once even when two threads ask at the same time.
        self._loaded: dict[str, Any] = {"ingest": embedder, "query": embedder} if embedder is not None else {}
        self._loading = threading.Lock()
        self._transcriber: WhisperTranscriber | None = None
        self._youtube = youtube
        self._llm = llm  # an injected LangChain chat model, used instead of the configured one
        self._models: dict[str | None, ChatModel | None] = {}
        self._recent_lines: dict[str, list[Snippet]] = {}  # reading lines of the last videos read (paragraphs)
        self._recent_breaks: dict[str, BreakOdds | None] = {}  # by transcript version: the last videos' odds
        self._recent_chapters: dict[str, list[Chapter]] = {}  # by transcript version: the last videos' chapters
        self._reading = threading.Lock()
        # The last search's or question's note that model search fell back to the offline ranking, or None.
        self.last_notice: str | None = None

    @classmethod
    def open(cls, home: str | Path | None = None, *, embedder: Embedder | None = None,
             youtube: YouTubeClient | None = None, llm: Any = None, **settings: Any) -> Library:
        """The library in `home` (default: YT_TRANSCRIPT_HOME, else the user data folder).

        Other keyword arguments are settings by their flat names (`model`, `base_url`, `languages`, ...);
        an unknown name or a bad value raises InvalidSetting.
        """
        if home is not None:
            settings["home"] = Path(home).expanduser()
        return cls(Settings.load(**settings), embedder=embedder, youtube=youtube, llm=llm)

    def with_settings(self, **values: Any) -> Library:
        """The same library with some settings changed (e.g. another model), sharing storage and models."""
        settings = self.settings.with_values(**values)
        same_store = (settings.home, settings.chroma_url, settings.embed_model) == (
            self.settings.home, self.settings.chroma_url, self.settings.embed_model)
        other = Library(settings, embedder=self._embedder, youtube=self._youtube, llm=self._llm,
                        storage=self.storage if same_store else None)
        if same_store:
            other._loaded, other._loading, other._reading = self._loaded, self._loading, self._reading
        return other

    # --- adding and removing ----------------------------------------------------------------------

    def ingest(self, *sources: str, languages: list[str] | str | None = None, translate: str | None = None,
               limit: int | None = None, video_id: str | None = None, title: str | None = None,
               channel: str | None = None, whisper: str | None = None, language: str | None = None,
               options: IngestOptions | None = None, progress: Progress | None = None,
               on_result: Callable | None = None) -> list[SourceResult]:
        """Add videos, playlists, channels, caption files, or audio and video files (transcribed locally). One
        result per source; failures are in the results, never raised, so one bad source never stops the rest.

        `whisper` ("auto", "never", "always"; default YT_TRANSCRIPT_WHISPER) says when a YouTube video's audio is
        transcribed locally; `language` is the language spoken, for local transcription (default: detected)."""
        from yt_transcript.ingest.pipeline import IngestOptions, Ingestor

        if not sources:
            raise errors.InvalidSource("no source given")
        if isinstance(languages, str):
            languages = [c.strip() for c in languages.split(",") if c.strip()]
        languages = languages or None  # none named: the settings' priority, never an empty one
        if limit is not None:
            _count("limit", limit)
        opts = _merged(options or IngestOptions(), languages=languages, translate=translate, limit=limit,
                       video_id=video_id, title=title, channel=channel, whisper=whisper, language=language)
        if (opts.video_id or opts.title) and len(sources) > 1:
            raise errors.ConflictingOptions("a video id or title names one caption file, but "
                                            f"{len(sources)} sources were given")
        self.storage.check_writable()
        self._check_store()
        ingestor = Ingestor(self.settings, self.storage, self._embedder_for_ingest, self._youtube_client(),
                            progress=progress, on_result=on_result, transcriber=self._transcriber_for_ingest)
        results = [ingestor.ingest(source, opts) for source in sources]
        self._after_ingest(results)
        return results

    def _after_ingest(self, results: list[SourceResult]) -> None:
        """Detect the chapters of each new video without its own now (~1 s per hour of talk), so the Library's
        chapter count agrees with the overview from the start; and read the new transcripts for the phrases
        an acronym may spell (~30 ms an hour of talk), so the first search for one need not. A failure here never
        fails the ingest."""
        from yt_transcript.rag.expansion import read_library

        for result in results:
            for video in result.results:
                if video.ok:
                    with contextlib.suppress(errors.YtTranscriptError):
                        self.chapter_count(video.video_id)
        with contextlib.suppress(errors.YtTranscriptError):
            read_library(self.storage)

    def chapter_count(self, video: str, *, detect: bool = True) -> tuple[int | None, str]:
        """(how many chapters the overview has, "creator" or "auto"). Detected chapters are found once per
        transcript version and kept; with `detect` off, (None, "auto") when they have not been found yet."""
        from yt_transcript.rag.summarize import chapter_count

        return chapter_count(self.storage, video, detect=detect)

    def chapters(self, video: str) -> list[Chapter]:
        """The chapters a reader navigates by: the creator's, else those detected in the transcript (when more
        than one), titled as the offline overview titles them (found and titled once per transcript version,
        and kept; with a model the overview titles them itself)."""
        from yt_transcript.rag.summarize import detected_chapters

        record = self.storage.get(video)
        if record.meta.chapters:
            return record.meta.chapters
        key = f"chapters\x1f{record.generation}"
        made = self._recent_chapters.get(key)
        if made is None:  # a read-only home keeps nothing: the app would redo this every rerun
            made = detected_chapters(self.storage, video, self._phrases_like(video))
            made = made if len(made) > 1 else []  # one heading over the whole talk is nothing to navigate by
            self._recent_chapters = _latest(self._recent_chapters, key, made)
        return made

    def chapter_counts(self, videos: list[str], *, budget_s: float = 1.5) -> dict[str, tuple[int | None, str]]:
        """`chapter_count` for many videos, as a listing shows them: counts kept are read, and missing ones
        (a library from before they were kept at ingest) are worked out until `budget_s` has passed, so a
        listing never waits long; the rest stay (None, "auto") and are counted by the next listings."""
        from time import perf_counter

        deadline = perf_counter() + budget_s
        out = {}
        for video in videos:
            out[video] = self.chapter_count(video, detect=False)
            if out[video][0] is None and perf_counter() < deadline:
                with contextlib.suppress(errors.YtTranscriptError):
                    out[video] = self.chapter_count(video)
        return out

    def fetch(self, source: str, *, refresh: bool = False, progress: Progress | None = None) -> VideoRecord:
        """One video, in the library: taken from it when it is there already (no network call), else ingested.

        A caption file whose transcript changed since it was added is ingested again; `refresh` always
        fetches again. The original one-line CLI works this way.
        """
        from yt_transcript.ingest.sources import parse_source

        parsed = parse_source(source)
        if parsed.kind in {"playlist", "channel"}:
            raise errors.InvalidSource(f"{source}: a {parsed.kind} holds many videos; give one video or file")
        known = None if refresh else self._already_there(parsed)
        if known is not None:
            return known
        [outcome] = self.ingest(source, progress=progress)
        if outcome.kind == "sidecar":
            raise errors.InvalidSource(f"{source}: this file goes with {outcome.label}; give that file instead")
        failure = outcome.error or next((r.error for r in outcome.results if not r.ok), None)
        if failure is not None:
            raise failure
        return self.video(outcome.results[0].video_id)

    def known(self, source: str) -> VideoRecord | None:
        """The video `source` names when the library already holds it (a caption file: with the same transcript),
        else None; playlists, channels and sources that cannot be read are never known. No network call."""
        from yt_transcript.ingest.sources import parse_source

        try:
            parsed = parse_source(source)
            return None if parsed.kind in {"playlist", "channel", "media"} else self._already_there(parsed)
        except errors.YtTranscriptError:
            return None

    def _already_there(self, parsed) -> VideoRecord | None:
        if parsed.kind == "video":
            return next((r for r in self.videos() if r.meta.video_id == parsed.value), None)
        from yt_transcript.ingest.cleaning import clean_snippets
        from yt_transcript.ingest.pipeline import IngestOptions, cached_media, read_local

        if parsed.kind == "media":  # an audio file is there when its cached transcript is what the library holds
            transcript = cached_media(parsed, IngestOptions(), self._transcriber_for_ingest())
            if transcript is None:
                return None
        else:
            transcript, _ = read_local(parsed, IngestOptions())
        record = next((r for r in self.videos() if r.meta.video_id == transcript.meta.video_id), None)
        if record is None or self.transcript(record.meta.video_id).snippets != clean_snippets(transcript.snippets):
            return None
        return record

    def listings(self) -> list[dict]:
        """The channels and playlists a sync lists again: {"source", "kind", "title", "synced_at", "languages",
        "translate"} each (the last two as they were ingested)."""
        names = ("source", "kind", "title", "synced_at", "languages", "translate")
        return [dict(zip(names, row)) for row in self.storage.listings()]

    def sync(self, *, since: str | date | None = None, limit: int | None = None, dry_run: bool = False,
             on_outcome: Callable | None = None, progress: Progress | None = None) -> SyncReport:
        """List every channel and playlist ever ingested again; add new uploads and re-index any whose
        captions changed. Safe to stop and run again: nothing done is lost, and the next run goes on."""
        from yt_transcript.ingest.pipeline import Ingestor
        from yt_transcript.ingest.sync import sync

        if not dry_run:
            self.storage.check_writable()  # a read-only home says so, not "start the Chroma server"
            self._check_store()
        ingestor = Ingestor(self.settings, self.storage, self._embedder_for_ingest, self._youtube_client(),
                            progress=progress, transcriber=self._transcriber_for_ingest)
        return sync(ingestor, since=_iso(since), limit=limit, dry_run=dry_run, on_outcome=on_outcome)

    def remove(self, video: str) -> VideoRecord:
        """Remove a video and its passages; returns what was removed."""
        return self.storage.remove(video)

    def rename(self, video: str, *, title: str | None = None, channel: str | None = None) -> VideoRecord:
        """Change a video's title and/or channel (None keeps it; blank is refused); returns the updated record."""
        if title is not None and not title.strip():
            raise errors.InputError("a title cannot be blank", advice="Type a title, or keep the one there is")
        return self.storage.rename(video, title=title.strip() if title is not None else None,
                                   channel=channel.strip() if channel is not None else None)

    # --- reading ----------------------------------------------------------------------------------

    def videos(self) -> list[VideoRecord]:
        """Every video, newest first."""
        return self.storage.records()

    def video(self, video: str) -> VideoRecord:
        """One video's record (VideoNotIndexed if it is not in the library)."""
        return self.storage.get(video)

    def transcript(self, video: str) -> Transcript:
        """A video's cleaned, timestamped transcript."""
        return self.storage.transcript(video)

    def paragraphs(self, video: str, *, as_written: bool = False) -> list[tuple[Chapter | None, list[Snippet]]]:
        """A video's transcript in reading paragraphs of about 45 s, each with its chapter, in sentences: where
        English captions have no punctuation, the sentences restored from them (rag.sentences.reading_lines),
        worked out once per transcript version and kept. as_written: the caption lines as they are (and
        always for other languages, whose fillers and sentence starts the restoring does not know)."""
        from yt_transcript.ingest.export import paragraphs

        generation = self.storage.get(video).generation  # before the transcript: a re-ingest may land between
        transcript = self.transcript(video)
        chapters = self.chapters(video)
        if as_written or not transcript.meta.english:
            return paragraphs(transcript.snippets, chapters)
        return paragraphs(self._reading_lines(transcript, generation), chapters)

    def _exported(self, video: str, as_written: bool) -> Transcript:
        """The transcript to export: its caption lines, or (English, for reading) its sentences. An export
        never loads the model to read sentence breaks: until the app or an overview has read them (and on a
        read-only home), unpunctuated captions are split by the word table."""
        generation = self.storage.get(video).generation  # before the transcript, as in paragraphs
        transcript = self.transcript(video)
        if as_written or not transcript.meta.english:
            return transcript
        return dataclasses.replace(transcript, snippets=self._reading_lines(transcript, generation, read=False))

    def _reading_lines(self, transcript: Transcript, generation: str, *, read: bool = True) -> list[Snippet]:
        """The transcript as reading lines, kept; `read`: the break reader may read the video now (else only
        odds already read are used, and lines made without them are neither kept nor remembered)."""
        from yt_transcript.rag.breaks import ODDS_VERSION, reads
        from yt_transcript.rag.sentences import READING_VERSION, reading_lines

        odds = reads(transcript, self._model_name())  # the break reader's odds decide where sentences end
        key = f"reading-lines\x1f{READING_VERSION}{'+' + ODDS_VERSION if odds else ''}\x1f{generation}"
        if key in self._recent_lines:  # a read-only home keeps nothing: the app would redo this every rerun
            return self._recent_lines[key]
        kept = self.storage.cached(key)
        if kept is not None:
            lines = [Snippet(text, start, end) for text, start, end in json.loads(kept)]
        else:
            breaks = self._breaks(transcript.meta.video_id, transcript, generation, read=read) if odds else None
            lines = reading_lines(transcript.snippets, breaks)
            if odds and breaks is None and not read:
                return lines  # the word table standing in for odds not read yet
            if breaks is not None or not odds:  # lines without the odds they should have are not kept
                self.storage.cache(key, json.dumps([[s.text, s.start_s, s.end_s] for s in lines]))
        self._recent_lines = _latest(self._recent_lines, key, lines)
        return lines

    def export(self, video: str, fmt: str = "txt", to: str | Path | None = None, *, as_written: bool = False) -> str:
        """The transcript as txt, md, srt, vtt or json, or study notes for Obsidian ("obsidian": the chapter
        overview and the questions asked about this video); also written to `to` when given.

        txt and md are for reading: English in sentences, as `paragraphs` gives them (restored where the
        captions have no punctuation, fillers out), under chapter headings (`chapters`: the detected ones where
        the video has none). srt, vtt and json keep the caption lines, as does as_written, and so do other
        languages."""
        from yt_transcript.ingest.export import FORMATS, NOTE_FORMATS, READING_FORMATS, export_transcript, obsidian_note

        if fmt == "obsidian":
            text = obsidian_note(self.video(video).meta, self.summarize(video), self.storage.answers(video),
                                 self.storage.own_note(video))
        elif fmt in FORMATS:
            reading = fmt in READING_FORMATS  # read under headings: detected chapters where the video has none
            text = export_transcript(self._exported(video, as_written or not reading), fmt,
                                     self.chapters(video) if reading else None)
        else:
            raise errors.InvalidChoice("format", fmt, [*FORMATS, *NOTE_FORMATS])
        if to is not None:
            _write(Path(to), text)
        return text

    # --- finding ----------------------------------------------------------------------------------

    def search(self, query: str, *, videos: str | list[str] | None = None, channel: str | None = None,
               since: str | date | None = None, until: str | date | None = None, k: int | None = None,
               options: SearchOptions | None = None) -> list[SearchHit]:
        """The k moments that best match the query, best first. Keyword arguments override `options`.

        With a chat model configured (and YT_TRANSCRIPT_MODEL_SEARCH on), the model rewrites the query and
        reranks the top passages; if it cannot, the offline ranking is kept and `last_notice` says so."""
        opts = self._search_options(options, videos, channel, since, until, k)
        hits = self._searcher(self.chat_model())(self._query(query, "search"), opts)
        self._label_detected_chapters(hits)
        return hits

    def _label_detected_chapters(self, hits: list[SearchHit]) -> None:
        """A hit in a video without chapters of its own names the detected chapter it is in, as the overview
        and the transcript title it, once they have been made (a search never waits to make them)."""
        from yt_transcript.rag.summarize import kept_detected_chapters

        found: dict[str, list[tuple[float, str]]] = {}
        for hit in hits:
            if hit.chapter:
                continue
            if hit.video_id not in found:
                found[hit.video_id] = kept_detected_chapters(self.storage, hit.video_id)
            titles = [title for start, title in found[hit.video_id] if start <= hit.start_s]
            if len(found[hit.video_id]) > 1 and titles:  # one chapter over the whole talk names nothing
                hit.chapter = titles[-1]

    def find(self, video: str, words: str, *, k: int = 5) -> Finding:
        """Where one video says these words (every place, in time order), then up to k passages that match
        their meaning elsewhere; when neither finds anything, the k nearest passages, marked as such."""
        from yt_transcript.rag.occurrences import occurrences
        from yt_transcript.rag.retrieve import close_matches
        from yt_transcript.rag.sentences import is_punctuated

        words = self._query(words, "search")
        transcript = self.transcript(video)
        asr = transcript.meta.english and not is_punctuated(transcript.snippets)  # shown as read, as search does
        said = occurrences(video, transcript.snippets, words, as_read=asr)
        hits = self.search(words, videos=[video], k=k)
        close = close_matches(hits, self.settings.retrieval.relevance_threshold)
        # A passage at a place already listed would show the same moment twice.
        related = [h for h in close if not any(abs(h.start_s - o.start_s) < _SAME_PLACE_S for o in said)]
        return Finding(said, related, [] if said or close else hits)

    def is_close_match(self, hits: list[SearchHit]) -> bool:
        """Whether the best hit is close enough to count as found (the bar below which `ask` shows only the
        nearest passages): a search with none says so rather than show strangers as matches."""
        from yt_transcript.rag.retrieve import close_matches

        return bool(close_matches(hits, self.settings.retrieval.relevance_threshold))

    def ask(self, question: str, *, videos: str | list[str] | None = None, channel: str | None = None,
            k: int | None = None, model: str | None = None, options: SearchOptions | None = None,
            history: list[tuple[str, str]] | None = None, on_token: Callable[[str], None] | None = None) -> Answer:
        """An answer citing the moments that support it: by the model, or quotes offline. `k` passages are
        retrieved (default: options.k when options are given, else YT_TRANSCRIPT_ASK_PASSAGES). `history`, the
        earlier (question, answer text) turns, makes a follow-up ("how do they fix it?") searched as one
        question with what it points back to (`answer.asked_as` says how)."""
        from yt_transcript.rag.answer import ask
        from yt_transcript.rag.chat import followed_answers, standalone

        opts = self._search_options(options, videos, channel, None, None,
                                    k if k is not None or options is not None else self.settings.retrieval.ask_passages)
        chat = self.chat_model(model)
        # "he" is most likely the speaker of the one video searched: only then may such a question stand alone.
        found_alone = (lambda alone: self.is_close_match(self.search(alone, options=opts))) if opts.one_video else None
        query = standalone(self._query(question, "question"), history or [], chat, found_alone)
        answer = ask(self.storage, self._embedder_for_queries(), query, self.settings.retrieval, opts, chat,
                     history=history, on_token=on_token, retrieve=self._searcher(chat),
                     shown=followed_answers(query, question, history or []))
        answer.question, answer.asked_as = question, (query if query != question else None)
        answer.notice = self.last_notice
        self._keep_answer(opts, query, answer)
        return answer

    def _keep_answer(self, opts: SearchOptions, query: str, answer: Answer) -> None:
        """A question about one video belongs to its study notes (export "obsidian"); "not found" teaches
        nothing. A follow-up is kept as it was read: "why?" alone would say nothing there, and replace another
        "why?"."""
        if opts.one_video and answer.kind != "not_found":
            self.storage.save_answer(opts.one_video, dataclasses.replace(answer, question=query))

    def saved_answers(self, video: str) -> list[Answer]:
        """The questions asked about this one video (through `ask`), each with its latest answer, oldest first."""
        self.video(video)
        return self.storage.answers(video)

    def forget_answer(self, video: str, question: str) -> bool:
        """Drop a saved question (as `saved_answers` lists it) from the video's notes; True if it was there."""
        self.video(video)
        return self.storage.forget_answer(video, question)

    def own_note(self, video: str) -> str:
        """What the student wrote about this video ("" for nothing); it opens the video's notes."""
        self.video(video)
        return self.storage.own_note(video)

    def check_writable(self) -> None:
        """HomeReadOnly (or why else nothing could be kept) before the student types what could not be saved."""
        self.storage.check_writable()

    def save_own_note(self, video: str, text: str) -> None:
        """Keep what the student wrote about this video, replacing what was there (empty text drops it). Kept
        when the video is removed, and there again when it is added back."""
        self.video(video)
        self.storage.save_own_note(video, text)

    def chat(self, *, videos: str | list[str] | None = None, channel: str | None = None, model: str | None = None,
             options: SearchOptions | None = None) -> ChatSession:
        """A conversation: follow-up questions are understood in context. Call `.ask(question)` on it."""
        from yt_transcript.rag.chat import ChatSession

        self._require_videos()
        opts = self._search_options(options, videos, channel, None, None,
                                    None if options is not None else self.settings.retrieval.ask_passages)
        for video in opts.video_ids or []:  # a mistyped id is said now, not after the first question
            self.storage.get(video)
        return ChatSession(self.storage, self._embedder_for_queries(), self.settings.retrieval, opts,
                           self.chat_model(model),
                           on_answer=lambda query, answer: self._keep_answer(opts, query, answer))

    # --- studying ---------------------------------------------------------------------------------

    def summarize(self, video: str, *, chapters: str | None = None, model: str | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> Overview:
        """A TL;DR and one paragraph per chapter (creator chapters, or detected with chapters='auto')."""
        from yt_transcript.rag.summarize import summarize

        chat = self.chat_model(model)
        return summarize(self.storage, video, self.settings.llm, chat, chapters=chapters, on_progress=on_progress,
                         embed=self._phrases_like(video), breaks=None if chat else self._breaks(video))

    def study_cards(self, video: str, *, per_chapter: int = 2, model: str | None = None) -> list[Card]:
        """Flashcards for every chapter, each linked to its moment (cloze cards without a model)."""
        from yt_transcript.rag.study import study_cards

        _count("per_chapter", per_chapter)
        chat = self.chat_model(model)
        return study_cards(self.storage, video, chat, per_chapter=per_chapter, embed=self._phrases_like(video),
                           breaks=None if chat else self._breaks(video))

    def notes(self, video: str, answers: list[Answer], *, model: str | None = None,
              overview: Overview | None = None) -> str:
        """Study notes in Markdown: the chapter overview (made now unless given), then each question with its
        answer and sources; as the Obsidian export writes them, so nothing from the data is Markdown syntax."""
        from yt_transcript.ingest.export import obsidian_note

        return obsidian_note(self.video(video).meta, overview or self.summarize(video, model=model), answers,
                             self.storage.own_note(video))

    def anki_deck(self, video: str, path: str | Path, *, cards: list[Card] | None = None, per_chapter: int = 2,
                  model: str | None = None) -> AnkiDeck:
        """The video's flashcards written to `path` as an Anki deck (.apkg). Importing a newer export updates the
        notes already in Anki instead of adding copies. `cards` from `study_cards` are written as they are;
        without them the cards are made here."""
        from yt_transcript.rag.decks import write_deck

        record = self.video(video)
        if cards is None:
            cards = self.study_cards(video, per_chapter=per_chapter, model=model)
        return write_deck(record, cards, Path(path))

    # --- measuring --------------------------------------------------------------------------------

    def evaluate_retrieval(self, questions: str | Path, *, video: str | None = None, each_video: bool = False,
                           k: int = 10, options: SearchOptions | None = None, model: str | None = None) -> dict:
        """hit@1, hit@5 and MRR@10 of search on a JSONL question file, with one entry per miss.

        Offline search unless `model` (provider:name) is given: then model search, and the report adds the
        model's name and on how many questions it fell back to the offline ranking."""
        from yt_transcript.rag.evaluate import evaluate_retrieval, load_questions

        loaded = load_questions(questions)
        if video is not None:
            self.video(video)  # an unknown id is one clear error, not n misses
        searcher, notices = None, []
        if model is not None:
            chat = self.chat_model(model)
            helped = self._searcher(chat, force=True)

            def searcher(query: str, opts: SearchOptions) -> list[SearchHit]:
                hits = helped(query, opts)
                if self.last_notice:
                    notices.append(self.last_notice)
                return hits

        report = evaluate_retrieval(self.storage, self._embedder_for_queries(), loaded, video_id=video,
                                    each_video=each_video, k=k, options=options, searcher=searcher)
        if model is not None:
            report.update(model=chat.name, model_fallbacks=len(notices), model_notices=sorted(set(notices))[:5])
        return report

    def evaluate_chapters(self, manifest: str | Path) -> dict:
        """Boundary P/R/F1 at ±30 s and ±60 s of detected chapters on a corpus manifest, with two baselines."""
        from yt_transcript.rag.evaluate import evaluate_chapters

        return evaluate_chapters(manifest, self._embedder_for_ingest(), self.settings.ingest)

    def offline(self) -> Library:
        """The same library with no chat model (quotes, the extractive overview, cloze cards), sharing storage
        and models: what to show when the configured model cannot be reached."""
        llm = self.settings.llm.model_copy(update={"model": None, "api_key": None})
        other = Library(self.settings.model_copy(update={"llm": llm}), embedder=self._embedder,
                        youtube=self._youtube, storage=self.storage)
        other._loaded, other._loading, other._reading = self._loaded, self._loading, self._reading
        return other

    # --- models -----------------------------------------------------------------------------------

    def chat_model(self, override: str | None = None) -> ChatModel | None:
        """The chat model calls will use (None: offline), built once per library and model name."""
        from yt_transcript.rag.llm import ChatModel

        if override not in self._models:
            self._models[override] = ChatModel.choose(self.settings.llm, override, self._llm)
        return self._models[override]

    def _searcher(self, model: ChatModel | None, *, force: bool = False) -> Callable[[str, SearchOptions],
                                                                             list[SearchHit]]:
        """How to search: with the model's help when there is a model and model search is on (or forced), its
        fallback notice kept in `last_notice`; else offline."""
        from yt_transcript.rag.retrieve import search

        embedder = self._embedder_for_queries()
        self.last_notice = None
        if model is None or not (force or self.settings.retrieval.model_search):
            return lambda query, opts: search(self.storage, embedder, query, opts)
        from yt_transcript.rag.model_search import model_search

        def helped(query: str, opts: SearchOptions) -> list[SearchHit]:
            hits, self.last_notice = model_search(self.storage, embedder, query, opts, model)
            return hits

        return helped

    def _embedder_for_ingest(self) -> Embedder:
        with self._loading:
            if "ingest" not in self._loaded:
                # The query model is the same model: once a home has its ONNX export, ingest runs on it too,
                # without torch (about 580 MB less at peak; see tests/benchmarks/bench_ingest.py).
                from yt_transcript.ingest.embedding import load_fast_embedder

                self._loaded["ingest"] = self._loaded.get("query") or load_fast_embedder(self.settings.embed_model,
                                                                                          self.settings.home)
            return self._loaded["ingest"]

    def _transcriber_for_ingest(self) -> WhisperTranscriber:
        """The local Whisper transcriber, made once (its model loads only when something needs transcribing)."""
        if self._transcriber is None:
            from yt_transcript.ingest.pipeline import default_transcriber

            self._transcriber = default_transcriber(self.settings)
        return self._transcriber

    def _embed_phrases(self, phrases: list[str]) -> np.ndarray:
        """Short phrases as vectors of the library's model (offline titles weigh terms by meaning)."""
        return self._embedder_for_queries().embed(phrases)

    def _phrases_like(self, video: str) -> Callable[[list[str]], np.ndarray] | None:
        """`_embed_phrases` when the video's vectors are the library model's, else None (titles by counts): a
        video kept from another model has vectors a phrase of this one cannot be compared with."""
        return self._embed_phrases if self.storage.get(video).embed_model == self._model_name() else None

    def _breaks(self, video: str, transcript: Transcript | None = None, generation: str | None = None, *,
                read: bool = True) -> BreakOdds | None:
        """Where the video's unpunctuated sentences end, read by the library's model once and kept
        (rag/breaks.py); None for punctuated captions, other languages and other models. Remembered here for
        the last videos read too, so a home that keeps nothing reads each once per session. read=False: only
        odds already read, never the model."""
        from yt_transcript.rag.breaks import kept_breaks, read_breaks, reads

        generation = generation or self.storage.get(video).generation  # before the transcript (a re-ingest)
        if generation in self._recent_breaks:
            return self._recent_breaks[generation]
        breaks = kept_breaks(self.storage, video, generation)
        if breaks is None and not read:
            return None  # not remembered: a later call that may read still reads
        if breaks is None:
            transcript = transcript or self.transcript(video)
            if reads(transcript, self._model_name()):
                with self._reading:  # two sessions opening one video read it once
                    breaks = kept_breaks(self.storage, video, generation) or self._recent_breaks.get(generation)
                    if breaks is None:
                        breaks = read_breaks(self.storage, transcript, generation, self._embedder_for_queries)
        self._recent_breaks = _latest(self._recent_breaks, generation, breaks)
        return breaks

    def _model_name(self) -> str:
        """The name the library's embedding model stores its vectors under."""
        from yt_transcript.ingest.embedding import model_name

        return self._embedder.name if self._embedder is not None else model_name(self.settings.embed_model)

    def _embedder_for_queries(self) -> Embedder:
        """The ONNX export when there is one (starts in ~0.4 s), else the full model."""
        with self._loading:
            if "query" not in self._loaded:
                if "ingest" in self._loaded:
                    self._loaded["query"] = self._loaded["ingest"]
                else:
                    from yt_transcript.ingest.embedding import load_fast_embedder

                    self._loaded["query"] = load_fast_embedder(self.settings.embed_model, self.settings.home)
            return self._loaded["query"]

    def _check_store(self) -> None:
        """Open the vector store before any work, so a store that is down fails before minutes of embedding."""
        from yt_transcript.ingest.embedding import model_name

        name = self._embedder.name if self._embedder is not None else model_name(self.settings.embed_model)
        self.storage.vectors(name)

    def _youtube_client(self) -> YouTubeClient:
        if self._youtube is None:
            from yt_transcript.ingest.youtube import YouTubeClient

            s = self.settings.ingest
            self._youtube = YouTubeClient(proxy=s.proxy, retries=s.retries, backoff_s=s.backoff_s)
        return self._youtube

    # --- helpers ----------------------------------------------------------------------------------

    def _query(self, text: str, what: str) -> str:
        if not text or not re.search(r"\w", text):  # "?" asks nothing
            raise errors.EmptyQuestion(what)
        self._require_videos()
        return text

    def _require_videos(self) -> None:
        if not self.storage.records():
            raise errors.LibraryEmpty()

    def _search_options(self, options, videos, channel, since, until, k) -> SearchOptions:
        from yt_transcript.rag.retrieve import SearchOptions

        if isinstance(videos, str):
            videos = [videos]
        merged = _merged(options or SearchOptions(), video_ids=list(videos) if videos else None, channel=channel,
                         since=_iso(since), until=_iso(until), k=k)
        _count("k", merged.k)
        return merged

    def close(self) -> None:
        """Release the catalog."""
        self.storage.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _latest(memo: dict, key: str, value: Any, keep: int = 4) -> dict:
    """The memo with `value` as its newest entry, holding the last `keep` videos read (a session reads a few)."""
    return {**dict(list(memo.items())[-(keep - 1):]), key: value}


def _merged(options, **values):
    """The options with every keyword that was given (not None) applied on top: nothing is dropped."""
    return dataclasses.replace(options, **{k: v for k, v in values.items() if v is not None})


def _count(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise errors.InvalidCount(what, value)


def _iso(value: str | date | None) -> str | None:
    if isinstance(value, datetime):  # a datetime's isoformat would sort after its own day
        value = value.date()
    if value is None or isinstance(value, str):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise errors.InvalidDate(value) from None
        return value
    return value.isoformat()


def _write(path: Path, text: str) -> None:
    from yt_transcript.ingest.export import write_output

    write_output(path, text)

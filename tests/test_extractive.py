"""The offline answer quotes whole sentences of the transcript, unedited, best first."""

import pytest

from yt_transcript.ingest.timecodes import format_hms
from yt_transcript.rag.extractive import _RANK_COST, LABEL, extractive_answer, label, rank_quotes
from yt_transcript.rag.retrieve import SearchOptions, search
from yt_transcript.rag.sentences import sentences

# Lower-case ASR with no punctuation, one short caption line per cue, as YouTube writes it.
LINES = [
    "okay so today we talk about memory", "and how we forget things over time",
    "so what I mean by that is the forgetting", "curve was measured by hermann ebbinghaus",
    "who learned nonsense syllables and tested", "himself at 10:30 every morning for years",
    "and the other thing is spacing your", "practice sessions apart helps you remember",
    "because each session reminds you before", "you forget so the memory lasts longer",
]


def _vtt(lines: list[str]) -> str:
    cues = [f"00:00:{3 * i:02d}.000 --> 00:00:{3 * i + 3:02d}.000\n{line}\n" for i, line in enumerate(lines)]
    return "WEBVTT\n\n" + "\n".join(cues)


def _ingested(library, tmp_path):
    path = tmp_path / "memory.en.vtt"
    path.write_text(_vtt(LINES), encoding="utf-8")
    [result] = library.ingest(str(path), video_id="memoryTalk1")
    assert result.ok
    return "memoryTalk1"


def test_quotes_are_whole_unedited_sentences_of_the_transcript(library, fake_embedder, tmp_path):
    video_id = _ingested(library, tmp_path)
    question = "Who measured the forgetting curve?"
    hits = search(library.storage, fake_embedder, question, SearchOptions(video_ids=[video_id], k=3))
    text, sources = extractive_answer(library.storage, fake_embedder, question, hits)
    whole = {s.text for s in sentences(library.transcript(video_id).snippets)}
    assert text.startswith(LABEL) and sources
    for source in sources:
        assert source.text in whole  # a sentence as restored from the captions, never a fragment of a line
    # A quote is never edited: "I mean" stays in it (a filler list once made "what by that is" of it).
    quotes = rank_quotes(library.storage, fake_embedder, question, hits)
    assert any("I mean by that is" in q.text for q in quotes)
    assert all("what by that" not in q.text for q in quotes)


def test_quotes_from_several_videos_say_so(library, fake_embedder, tmp_path):
    _ingested(library, tmp_path)
    other = tmp_path / "memory-again.en.vtt"
    other.write_text(_vtt(LINES[::-1]), encoding="utf-8")
    assert library.ingest(str(other), video_id="memoryTalk2")[0].ok
    question = "Who measured the forgetting curve?"
    hits = search(library.storage, fake_embedder, question, SearchOptions(k=6))
    text, sources = extractive_answer(library.storage, fake_embedder, question, hits)
    videos = len({s.video_id for s in sources})
    assert text.splitlines()[0] == label(videos)
    assert videos == 2 and text.startswith("Quotes from 2 videos, best first")  # not "the video"
    from yt_transcript.rag.extractive import short_title

    for line, source in zip(text.splitlines()[1:], sources):  # each quote says whose it is
        assert line.startswith(f"- {short_title(source.title)}, {format_hms(source.start_s)} ")


@pytest.mark.parametrize("title, short", [
    ("Yann Lecun: Meta AI, Open Source, Limits of LLMs, AGI & the Future of AI | Lex Fridman Podcast #416",
     "Yann Lecun"),
    ("State of GPT | BRK216HFS", "State of GPT"),
    ("Deep Dive into LLMs like ChatGPT", "Deep Dive into LLMs like ChatGPT"),
    ("Let's build the GPT Tokenizer, from scratch, in code, spelled out, all of it",
     "Let's build the GPT Tokenizer, from…"),
    ("Time: 10:30 and after", "Time"),
    ("Andrej Karpathy - Let's build GPT", "Andrej Karpathy"),
    ("Self-attention – explained", "Self-attention"),
    ("", ""),
])
def test_a_quote_from_one_of_several_videos_is_bylined_by_a_short_title(title, short):
    from yt_transcript.rag.extractive import short_title

    assert short_title(title) == short


def test_a_second_passage_gets_a_quote_before_the_first_gets_a_third(monkeypatch):
    from yt_transcript.ingest.models import SearchHit
    from yt_transcript.rag import extractive
    from yt_transcript.rag.extractive import Quote

    hits = [SearchHit("talk0000001", "Memory", "", 0.0, 60.0, "", 0.5),
            SearchHit("talk0000001", "Memory", "", 300.0, 360.0, "", 0.4)]
    ranked = [Quote(0, 10.0, "First.", 0.9), Quote(0, 30.0, "Second.", 0.8), Quote(0, 50.0, "Third.", 0.7),
              Quote(1, 310.0, "Elsewhere.", 0.2)]
    monkeypatch.setattr(extractive, "rank_quotes", lambda storage, embedder, question, given:
                        [q for q in ranked if q.hit_index < len(given)])
    _, sources = extractive_answer(None, None, "why?", hits)
    assert [s.start_s for s in sources] == [10.0, 30.0, 310.0]  # best first, the weaker passage still heard
    _, sources = extractive_answer(None, None, "why?", hits[:1])
    assert [s.start_s for s in sources] == [10.0, 30.0, 50.0]  # with one passage, its best three
    # The second passage holds only a copy of the best quote (chunks overlap): the cap leaves no place empty.
    ranked[:] = [Quote(0, 52.0, "Best.", 0.9), Quote(0, 10.0, "First.", 0.8), Quote(0, 30.0, "Second.", 0.7),
                 Quote(1, 52.0, "Best.", 0.2)]
    hits[1] = SearchHit("talk0000001", "Memory", "", 40.0, 100.0, "", 0.4)
    _, sources = extractive_answer(None, None, "why?", hits)
    assert [s.start_s for s in sources] == [52.0, 10.0, 30.0]


def test_quotes_all_from_one_video_of_many_searched_name_it(monkeypatch):
    from yt_transcript.ingest.models import SearchHit
    from yt_transcript.rag import extractive
    from yt_transcript.rag.extractive import Quote

    hits = [SearchHit("lecun000001", "Yann Lecun: Meta AI | Lex Fridman Podcast #416", "", 0.0, 60.0, "", 0.5)]
    monkeypatch.setattr(extractive, "rank_quotes", lambda *args: [Quote(0, 10.0, "AGI is far.", 0.9)])
    asked_of_many, _ = extractive_answer(None, None, "when is AGI coming?", hits, across=True)
    assert asked_of_many.splitlines()[0] == label(1, "Yann Lecun")
    assert asked_of_many.startswith("Quotes from one video (Yann Lecun), best first")
    asked_of_it, _ = extractive_answer(None, None, "when is AGI coming?", hits)
    assert asked_of_it.startswith("Quotes from the video, best first")


def test_quotes_from_videos_whose_short_titles_read_alike_are_bylined_by_more_of_them(monkeypatch):
    from yt_transcript.ingest.models import SearchHit
    from yt_transcript.rag import extractive
    from yt_transcript.rag.extractive import Quote

    titles = {"mit00000001": "MIT 6.S191 (2023): Deep Learning", "mit00000002": "MIT 6.S191 (2023): Transformers",
              "notitle0001": ""}
    hits = [SearchHit(v, t, "", 0.0, 60.0, "", 0.5) for v, t in titles.items()]
    ranked = [Quote(i, 10.0, f"Quote {i}.", 1.0 - i / 10) for i in range(3)]
    monkeypatch.setattr(extractive, "rank_quotes", lambda *args: ranked)
    text, _ = extractive_answer(None, None, "what is deep learning?", hits)
    assert [line.split(", 0:00:10")[0] for line in text.splitlines()[1:]] == [
        "- MIT 6.S191 (2023): Deep Learning", "- MIT 6.S191 (2023): Transformers", "- notitle0001"]


def test_a_time_the_speaker_says_stays_in_the_answer(library, fake_embedder, tmp_path):
    video_id = _ingested(library, tmp_path)
    # The fake embedder's cosines are low: let any passage count as relevant.
    answer = library.with_settings(relevance_threshold=-1.0).ask("When did Ebbinghaus test himself every morning?",
                                                                 videos=video_id)
    assert answer.kind == "extractive"
    assert "10:30 every morning" in answer.text  # resolving model text would have stripped the clock time


def test_quotes_come_best_first(library, fake_embedder, tmp_path):
    video_id = _ingested(library, tmp_path)
    question = "Why does spacing practice sessions apart help you remember?"
    hits = search(library.storage, fake_embedder, question, SearchOptions(video_ids=[video_id], k=3))
    quotes = rank_quotes(library.storage, fake_embedder, question, hits)
    assert [q.score for q in quotes] == sorted((q.score for q in quotes), reverse=True)
    _, sources = extractive_answer(library.storage, fake_embedder, question, hits)
    assert "spacing" in sources[0].text.lower()


def test_a_quote_from_a_passage_search_ranked_lower_must_score_clearly_better(library, fake_embedder, tmp_path):
    video_id = _ingested(library, tmp_path)
    question = "Why does spacing practice sessions apart help you remember?"
    [hit] = search(library.storage, fake_embedder, question, SearchOptions(video_ids=[video_id], k=1))
    quotes = rank_quotes(library.storage, fake_embedder, question, [hit, hit])  # the same passage, ranked 1st and 2nd
    first, second = ({q.text: q.score for q in quotes if q.hit_index == i} for i in (0, 1))
    assert first and first.keys() == second.keys()
    assert all(first[t] - second[t] == pytest.approx(_RANK_COST) for t in first)
    assert quotes[0].hit_index == 0


def test_a_quote_that_trails_off_is_shown_with_the_next_sentence_unless_that_is_shown_too():
    from yt_transcript.ingest.models import SearchHit
    from yt_transcript.rag.extractive import Quote, _shown

    hit = SearchHit("v1", "t", "c", 0.0, 60.0, "x", 1.0, None, chunk_id="v1:0")
    trailing = Quote(0, 10.0, "But keep in mind that the model.", 0.9, "But keep in mind that the model "
                     "basically doesn't know.", 16.0)
    assert _shown(trailing, [trailing], [hit]) == trailing.completed
    second = Quote(0, 14.0, "Basically doesn't know.", 0.5)
    assert _shown(trailing, [trailing, second], [hit]) == trailing.text  # never the same words twice
    elsewhere = Quote(0, 30.0, "Something else entirely said later on.", 0.5)
    assert _shown(trailing, [trailing, elsewhere], [hit]) == trailing.completed


def test_quotes_use_the_sentence_breaks_the_overview_read(library, fake_embedder, tmp_path, monkeypatch):
    import base64

    import numpy as np

    from yt_transcript.rag import extractive
    from yt_transcript.rag.breaks import odds_key
    from yt_transcript.rag.sentences import BreakOdds, words_of

    video_id = _ingested(library, tmp_path)
    words = words_of(library.transcript(video_id).snippets)
    # As read_breaks keeps them: an end after "time" and "years", none elsewhere.
    odds = np.array([4.0 if w.norm in ("time", "years") else -8.0 for w in words], dtype=np.float16)
    library.storage.cache(odds_key(library.storage.get(video_id).generation), base64.b64encode(odds.tobytes()).decode())
    seen = []
    real = extractive.sentences

    def recording(snippets, starts=None, **kw):
        seen.append((snippets, starts))
        return real(snippets, starts, **kw)

    monkeypatch.setattr(extractive, "sentences", recording)
    question = "Who measured the forgetting curve?"
    hits = search(library.storage, fake_embedder, question, SearchOptions(video_ids=[video_id], k=3))
    quotes = rank_quotes(library.storage, fake_embedder, question, hits)
    assert quotes and seen and all(isinstance(starts, BreakOdds) for _, starts in seen)
    every = library.transcript(video_id).snippets
    for near, starts in seen:  # each stretch is read from its own first word of the transcript on
        first = every.index(near[0])
        assert starts.offset == sum(len(s.text.split()) for s in every[:first])
    assert any(q.text.endswith("for years.") for q in quotes)


@pytest.mark.parametrize("text, defines", [
    ("It's when llms make stuff up.", True),
    ("So that's when the model guesses.", True),
    ("It means the weights are fixed.", True),
    ("Which refers to the context window.", True),
    ("It's a big problem with assistants.", False),  # says something of it, defines nothing
    ("When it means business, it works.", False),
])
def test_a_sentence_that_defines_by_pointing_back(text, defines):
    from yt_transcript.rag.extractive import _DEFINES_BACK

    assert bool(_DEFINES_BACK.match(text)) is defines


def _talk_hits(library, embedder, tmp_path, lines: list[str], video_id: str, question: str):
    """A talk of these caption lines ingested, and the passages search returns for the question within it."""
    path = tmp_path / f"{video_id}.en.vtt"
    path.write_text(_vtt(lines), encoding="utf-8")
    assert library.ingest(str(path), video_id=video_id)[0].ok
    return search(library.storage, embedder, question, SearchOptions(video_ids=[video_id], k=3))


def test_a_term_and_the_sentence_defining_it_are_also_one_quote(library, fake_embedder, tmp_path):
    lines = ["Today we look at how students revise.", "You might have heard of the spacing effect.",
             "It's when reviews spread over several days beat one long session.", "Cramming feels productive.",
             "But it fades within a week."]
    question = "What is the spacing effect?"
    hits = _talk_hits(library, fake_embedder, tmp_path, lines, "spacingTalk", question)
    quotes = rank_quotes(library.storage, fake_embedder, question, hits)
    pair = [q for q in quotes if "spacing effect" in q.text and "It's when reviews" in q.text]
    assert len(pair) == 1 and pair[0].start_s == 3.0
    transcript = " ".join(s.text for s in library.transcript("spacingTalk").snippets)
    assert pair[0].text in transcript  # contiguous, unedited


def test_a_question_in_the_talk_is_quoted_after_a_statement_that_scores_alike(library, fake_embedder, tmp_path,
                                                                              monkeypatch):
    from yt_transcript.rag import extractive

    lines = ["So why do students forget what they learn in lectures?", "Students forget what they learn in lectures.",
             "Then we move on to the next topic of the day.", "Good question."]
    question = "why do students forget lectures?"
    hits = _talk_hits(library, fake_embedder, tmp_path, lines, "forgetTalk1", question)
    for knob in ("_NOT_STATED_COST", "_ECHO_COST", "_AFTER_ECHO_BONUS", "_SHORT_COST"):
        monkeypatch.setattr(extractive, knob, 0.0)
    plain = {q.text: q.score for q in rank_quotes(library.storage, fake_embedder, question, hits)}
    monkeypatch.undo()
    costed = {q.text: q.score for q in rank_quotes(library.storage, fake_embedder, question, hits)}
    asked = next(t for t in plain if t.endswith("?"))  # the viewer's question, asked in the talk
    stated = next(t for t in plain if t.startswith("Students forget"))  # what follows it answers
    assert costed[asked] == pytest.approx(plain[asked] - extractive._NOT_STATED_COST - extractive._ECHO_COST)
    assert costed[stated] == pytest.approx(plain[stated] + extractive._AFTER_ECHO_BONUS)
    assert costed["Good question."] == pytest.approx(plain["Good question."] - extractive._SHORT_COST)
    nothing = next(t for t in plain if t.startswith("Then we move"))
    assert costed[nothing] == pytest.approx(plain[nothing])  # a statement of its own pays nothing


@pytest.mark.parametrize("text, echoes", [
    ("What makes a good prompt engineer?", True),
    ("So what do you think makes a good prompt engineer?", True),
    ("A good prompt engineer makes many attempts.", False),  # a statement, not the question again
    ("What about writers?", False),  # a question, but of other words
])
def test_a_question_in_the_viewers_words_is_an_echo(text, echoes):
    from yt_transcript.rag.extractive import _content_words, _echoes

    assert _echoes(text, _content_words("what makes a good prompt engineer?")) is echoes

import functools
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.rag.sentences import (
    BOUNDARY_TIERS, FILLERS, LEADING_MARKERS, MAX_WORDS, Sentence, as_read, drop_fillers, pick, quotable, sentences,
    whole_sentences, words_of,
)

from .conftest import SAMPLE_VTT

# The sample talk as YouTube's ASR would give it: lower case, no punctuation, 7-word lines, a filler or two.
ASR_TEXT = (
    "okay so today we're going to talk about how memory works uh and why lectures slip away "
    "the first thing to know is that it's a it's a curve of forgetting that falls fast "
    "so now let's look at the forgetting curve Ebbinghaus measured it on himself with nonsense syllables "
    "you know he found that most of it is gone within a day unless you review "
    "but the good news is that spaced review flattens the curve every time you do it "
    "moving on the next thing is active recall which means testing yourself instead of rereading the notes "
    "i think this is the most useful habit and i use it every week with flashcards"
)


def asr_snippets(text: str = ASR_TEXT, per_line: int = 7, pause_every: int = 3) -> list[Snippet]:
    words = text.split()
    out, t = [], 0.0
    for n, i in enumerate(range(0, len(words), per_line)):
        line = words[i:i + per_line]
        # Every third line ends in a pause: it lasts a second longer than its words need.
        span = 0.4 * len(line) + (1.0 if n % pause_every == pause_every - 1 else 0.0)
        out.append(Snippet(" ".join(line), round(t, 2), round(t + span, 2)))
        t += span
    return out


def _norm(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def is_clean_span(extract: str, raw: list[str]) -> bool:
    """The extract's words appear in order in the raw transcript words with nothing skipped but fillers, dropped
    sentence openers, stutters (a word repeated within the next three) and cut-off word starts."""
    words = [_norm(w) for w in extract.split() if _norm(w)]
    if not words:
        return True

    def skippable(k: int) -> bool:
        w = raw[k]
        return (w in FILLERS or w in LEADING_MARKERS or w in ("you", "know")
                or any(k + n < len(raw) and raw[k + n] == w for n in (1, 2, 3))
                or (len(w) == 1 and k + 1 < len(raw) and raw[k + 1].startswith(w)))


    @functools.cache
    def match(k: int, j: int) -> bool:  # words[j:] continue at raw[k], skipping only what cleaning drops
        if j == len(words):
            return True
        if k >= len(raw):
            return False
        return (raw[k] == words[j] and match(k + 1, j + 1)) or (skippable(k) and match(k + 1, j))

    return any(match(k + 1, 1) for k, w in enumerate(raw) if w == words[0])


def extract_sentences(text: str) -> list[str]:
    """An overview paragraph cut back into its sentences (each ends in . ? or ! before a capital)."""
    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z])", text) if s]


def test_asr_lines_become_sentences_without_fillers_or_stutters():
    found = sentences(asr_snippets())
    text = " ".join(s.text for s in found)
    assert " uh " not in f" {text.lower()} " and "you know" not in text.lower()
    assert "it's a it's a" not in text.lower() and "it's a curve" in text.lower()
    assert all(s.text[0].isupper() and s.text.endswith((".", "?", "!")) for s in found)
    assert " i " not in f" {text} " and "I think" in text
    assert all(s.words <= MAX_WORDS for s in found)
    assert len(found) >= 5  # breaks restored, not one run-on
    # Cue words open sentences: "so now let's look" and "but the good news" start one each (markers dropped).
    assert any(s.text.startswith(("Now let's look", "Let's look")) for s in found)
    assert any(s.text.startswith("But the good news") for s in found)


def test_every_sentence_is_a_contiguous_span_of_the_transcript():
    for snippets in (asr_snippets(), read_caption_file(SAMPLE_VTT).snippets):
        raw = [_norm(w) for s in snippets for w in s.text.split() if _norm(w)]
        for sentence in sentences(snippets):
            assert is_clean_span(sentence.text, raw), sentence.text


def test_the_span_check_catches_joined_fragments():
    raw = [_norm(w) for w in ASR_TEXT.split()]
    assert is_clean_span("It's a curve of forgetting that falls fast.", raw)
    assert not is_clean_span("Why lectures slip away the forgetting curve.", raw)  # words from two places


def test_stutters_and_cut_off_words():
    words = drop_fillers(words_of([Snippet("it's a it's a random um p patterns the the end", 0.0, 5.0)]))
    assert [w.token for w in words] == ["it's", "a", "random", "patterns", "the", "end"]


@pytest.mark.parametrize("said, kept", [
    ("it's a it's a random model", "it's a random model"),
    ("not the same as punishment. Punishment decreases a behavior", None),  # two sentences, one word each
    ("a loud scary noise over and over. And then it spread", None),
    ("the the end of it", "the end of it"),
    ("we saw it, we saw it twice", "we saw it twice"),  # a comma is no sentence end
])
def test_a_stutter_never_spans_a_sentence_end(said, kept):
    words = drop_fillers(words_of([Snippet(said, 0.0, 5.0)]))
    assert " ".join(w.token for w in words) == (kept or said)


def test_a_punctuated_sentence_is_cut_only_when_too_long_and_the_cut_shows():
    short = ("And it starred some of psychology's most notable, and often controversial, figures including Pavlov, "
             "BF Skinner, and that guy who trained kids to be terrified of furry things.")
    long = (short[:-1] + ", and it was a time when the field was young, eager, and not yet careful about ethics or"
            " consent at all.")
    [one] = sentences([Snippet(short, 0.0, 10.0)])
    assert one.text == "I" + short[5:]  # whole: only the leading "And" is off, as for any sentence
    pieces = sentences([Snippet(long, 0.0, 20.0)])
    assert len(pieces) == 2 and all(p.words <= MAX_WORDS for p in pieces)
    assert pieces[0].text.endswith("things…") and pieces[1].text.startswith("…and it was")  # no "." or capital made up
    said = re.findall(r"[\w']+", long)[1:]
    assert [w for p in pieces for w in re.findall(r"[\w']+", p.text)] == ["It"] + said[1:]  # every word, in order


@pytest.mark.parametrize("text, count", [
    ("Our consultant is Dr. Ranjit Bhagwat, and our director is Nick Jenkins.", 1),
    ("The famous American behaviorist, B.F. Skinner, trained pigeons to play ping pong.", 1),
    ("It was a test by Mr. Smith and Mrs. Jones in St. Louis, in the lab.", 1),
    ("He trained pigeons for years. Then he trained rats in a box.", 2),
    ("That was the whole point of it for me, and so was I. Then it ended there.", 2),
    ("The answer to that question is simply no. Then we move on to the next part.", 2),
    ("See page No. 4 of the handout for the whole list of the terms.", 1),
    ("We fall back on plan A. Then we try the next one if it fails.", 2),
    ("He was born and raised in the U.S. He moved to Paris in the end.", 2),
])
def test_a_title_or_initials_end_no_sentence(text, count):
    assert len(sentences([Snippet(text, 0.0, 10.0)])) == count


def test_the_reading_view_keeps_a_long_written_sentence_and_its_dashes_whole():
    from yt_transcript.rag.sentences import reading_lines

    long = ("Finally, there are theories that focus on the way REM sleep triggers neural activity, and some "
            "researchers think that dreams are just sort of accidental side-effects of that activity, the brain "
            "making sense of random signals, which is an idea that many people find rather disappointing.")
    lines = [Snippet("So what are dreams for? Nobody knows -- not for sure.", 0.0, 4.0), Snippet(long, 4.0, 20.0),
             Snippet("But others disagree. They think dreams matter.", 20.0, 24.0)]
    read = [line.text for line in reading_lines(lines)]
    assert long in read and "Nobody knows -- not for sure." in read  # as written: no cut, no dash dropped
    assert any(p.text.endswith("activity…") for p in sentences(lines))  # extracts still stay within MAX_WORDS


def test_a_sentence_opening_on_a_quotation_is_capitalised_inside_it():
    [one] = sentences([Snippet('And "mood disorders," which are characterized by extremes, tend to last longer.',
                               0.0, 6.0)])
    assert one.text == '"Mood disorders," which are characterized by extremes, tend to last longer.'


@pytest.mark.parametrize("lines, said", [
    # A hyphen inside a line is the writer's dash: without it, "the opposite of extreme mania" says the reverse.
    (["These include dark lows, but also bouts of the opposite - of extreme mania."],
     "These include dark lows, but also bouts of the opposite - of extreme mania."),
    (["Nobody knows -- not for sure."], "Nobody knows -- not for sure."),
    # A mark opening a line, or a hyphen after a sentence's end, is a change of speaker: no dash in the words.
    (["Are you coming?", "- Yes, I am on my way."], "Are you coming? Yes, I am on my way."),
    (["Are you coming? - Yes, I am on my way."], "Are you coming? Yes, I am on my way."),
    (["I think so… - Really? I had no idea."], "I think so… Really? I had no idea."),
    (['He said "stop." -- And we did stop there.'], 'He said "stop." We did stop there.'),  # "And" off, as ever
])
def test_a_dash_inside_a_line_is_kept_and_a_change_of_speaker_is_not_a_word(lines, said):
    snippets = [Snippet(text, 4.0 * i, 4.0 * i + 4.0) for i, text in enumerate(lines)]
    assert " ".join(s.text for s in sentences(snippets)) == said


def test_a_cut_never_doubles_the_captions_own_ellipsis():
    long = ("So I tried it on the first day, and then the second day, and then the third, and it kept on going "
            "like that for weeks, …and then it failed on the last day, when nobody was looking and nobody cared "
            "at all about it anymore…")
    pieces = sentences([Snippet(long, 0.0, 20.0)])
    assert len(pieces) >= 2 and not [p.text for p in pieces if "……" in p.text or "…." in p.text]


def test_punctuated_captions_keep_their_sentences():
    snippets = read_caption_file(SAMPLE_VTT).snippets
    found = sentences(snippets)
    assert all(s.words <= MAX_WORDS for s in found)
    whole = " ".join(s.text for s in snippets)
    assert sum(s.text in whole for s in found) >= 0.6 * len(found)  # most are the captions' own sentences


def test_quotable_prefers_sentences_that_start_and_end_where_sentences_do():
    text = "This is a readable sentence about a topic that we study here."
    (open_best, close_best), (open_min, close_min) = BOUNDARY_TIERS
    found = [Sentence(0, 1, text, opening=open_min, closing=close_min - 1),  # readable, trails off
             Sentence(1, 2, text, opening=open_min, closing=close_min),
             Sentence(2, 3, text, opening=open_best, closing=close_best),
             Sentence(3, 4, text, opening=open_best, closing=close_best),
             Sentence(4, 5, "Too short."),
             Sentence(5, 6, text, opening=open_min, closing=close_best)]  # ends well, starts on less evidence
    assert quotable(found, range(6), 2) == [2, 3]
    assert quotable(found, range(6), 3) == [1, 2, 3, 5]
    # Too few with evidence: every readable sentence, rather than fewer extracts.
    assert quotable(found, range(6), 5) == [0, 1, 2, 3, 5]
    # None readable: any of quotable length.
    unreadable = [Sentence(0, 1, "and then " + text, opening=0.0)]
    assert quotable(unreadable, range(1)) == [0]


def test_asr_sentences_know_the_evidence_for_their_end():
    found = sentences(asr_snippets())
    assert found[-1].closing == 6.0  # the transcript's end
    # A sentence's end evidence is the next one's start evidence: one gap, judged once.
    pairs = [(a, b) for a, b in zip(found, found[1:]) if b.opening < 6.0]
    assert len(pairs) > 3 and all(a.closing == pytest.approx(b.opening) for a, b in pairs)


def test_two_sentences_join_as_the_stretch_they_span():
    from yt_transcript.rag.sentences import joined

    snippets = asr_snippets()
    found = sentences(snippets)
    for a, b in zip(found, found[1:]):
        both = joined(snippets, a, b)
        assert both.start_s == a.start_s and both.closing == b.closing and both.opening == a.opening
        # Every word of both, in order, with only the openers dropped between them ("and", "so") added back.
        words = [w.lower().strip(".,?!") for w in both.text.split()]
        first, second = ([w.lower().strip(".,?!") for w in s.text.split()] for s in (a, b))
        assert words[:len(first)] == first and words[len(words) - len(second):] == second
        assert set(words[len(first):len(words) - len(second)]) <= LEADING_MARKERS


def test_pick_prefers_coverage_to_near_duplicates():
    found = [Sentence(i, i + 1, f"This is readable sentence number {i} about a topic here.") for i in range(4)]
    vectors = np.array([[1, 0, 0], [0.99, 0.14, 0], [0, 1, 0], [0.7, 0.7, 0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    picked = pick(found, vectors, 2)
    assert not {0, 1} <= set(picked)  # never both near-duplicates


def test_overview_extracts_are_spans_of_the_asr_transcript(settings, library, fake_embedder):
    snippets = asr_snippets(ASR_TEXT + " " + ASR_TEXT.replace("memory", "recall"), pause_every=2)
    Ingestor(settings, library.storage, lambda: fake_embedder).index(
        Transcript(VideoMeta("asrsample01", "Memory"), snippets))
    overview = library.summarize("asrsample01")
    raw = [_norm(w) for s in snippets for w in s.text.split() if _norm(w)]
    texts = [overview.tldr] + [c.summary for c in overview.chapters]
    assert all(texts)
    for text in texts:
        for sentence in extract_sentences(text):
            assert is_clean_span(sentence, raw), sentence
            assert len(sentence.split()) <= MAX_WORDS


def test_overview_extracts_of_the_sample_are_spans(sample_library):
    overview = sample_library.summarize("yttSample01")
    raw = [_norm(w) for s in read_caption_file(SAMPLE_VTT).snippets for w in s.text.split() if _norm(w)]
    for text in [overview.tldr] + [c.summary for c in overview.chapters]:
        for sentence in extract_sentences(text):
            assert is_clean_span(sentence, raw), sentence


def test_set_phrases_are_not_sentence_starts():
    text = ("we tried the gru the lstm and so on and we kept the one that trained best on this data "
            "so that we could compare it with the baseline model we had before")
    found = sentences(asr_snippets(text))
    joined = " ".join(s.text for s in found)
    assert "and so on" in joined.lower()
    assert not any(s.text.startswith(("On ", "That we could")) for s in found)


def test_the_start_table_learns_which_words_open_sentences():
    """From punctuated captions: a word that follows full stops gets positive log-odds, one that follows
    "the" negative; the table then places a break in unpunctuated text where the captions would."""
    from yt_transcript.rag.sentences import learn_starts

    lines = ["We boil the water. However the pasta needs salt.", "Then the sauce is ready. However the cheese waits."]
    snippets = [Snippet(text, 3.0 * i, 3.0 * i + 3.0) for i, text in enumerate(lines * 20)]
    table = learn_starts([snippets], min_count=5, min_weight=0.1)
    assert table.weights.get("c=however", 0.0) > 0.0
    assert table.weights.get("p=the", 0.0) < 0.0
    assert table.prior < 0.0  # most gaps between words are not sentence starts


def test_start_evidence_reads_only_the_words_around_the_gap():
    """The evidence at a gap is the table's features of the words either side, whatever the words are."""
    from yt_transcript.rag.sentences import _start_features, default_starts

    words = words_of([Snippet("so we take the documents and", 0.0, 3.0), Snippet("okay so next we tokenize", 3.0, 6.0),
                      Snippet("them into symbols", 6.0, 9.0)])
    table = default_starts()
    norms = [w.norm for w in words]
    for j in range(len(words)):
        whole = table.prior + sum(table.weights.get(f, 0.0) for f in _start_features(norms, j))
        assert table.evidence(words, j) == whole


@pytest.mark.parametrize("text, says", [
    ("It's actually kind of subtle and kind of interesting.", False),
    ("This is what you will find on this website.", False),
    ("Now let's say we do it one more time.", False),
    ("The first thing here is something called URL filtering.", True),
    ("Hermann Ebbinghaus measured how fast he forgot nonsense syllables.", True),
])
def test_a_quotable_sentence_says_something(text, says):
    from yt_transcript.rag.sentences import says_something

    assert says_something(text) is says


def _kept_words(snippets: list[Snippet]) -> list[str]:
    """The caption words cleaning keeps (fillers and stutters out; a written dash only in punctuated captions),
    normalised."""
    from yt_transcript.rag.sentences import is_punctuated

    asr = not is_punctuated(snippets)
    return [_norm(w.token) for w in drop_fillers(words_of(snippets), asr=asr) if _norm(w.token)]


def test_reading_lines_turn_asr_into_sentences_and_keep_every_other_word():
    from yt_transcript.rag.sentences import reading_lines

    snippets = asr_snippets()
    lines = reading_lines(snippets)
    assert len(lines) >= 5 and all(s.text[0].isupper() and s.text.endswith((".", "?", "!")) for s in lines)
    assert [_norm(w) for s in lines for w in s.text.split() if _norm(w)] == _kept_words(snippets)
    assert any(s.text.startswith("So now let's look") for s in lines)  # a transcript keeps the "so"
    assert [s.start_s for s in lines] == sorted(s.start_s for s in lines)
    assert {s.start_s for s in lines} <= {s.start_s for s in snippets}  # a caption line's start: never late
    assert all(a.end_s == b.start_s for a, b in zip(lines, lines[1:])) and lines[-1].end_s >= snippets[-1].end_s


def test_reading_lines_keep_punctuated_captions_and_speaker_turns():
    from yt_transcript.rag.sentences import reading_lines

    snippets = [Snippet("- So what is spacing?", 0.0, 2.0), Snippet("- Spreading reviews out. And", 2.0, 4.0),
                Snippet("that is all, really.", 4.0, 6.0), Snippet("- Um, thanks.", 6.0, 7.0)]
    assert [s.text for s in reading_lines(snippets)] == [
        "- So what is spacing?", "- Spreading reviews out.", "And that is all, really.", "- Thanks."]
    assert reading_lines([]) == []


@given(st.lists(st.tuples(st.lists(st.sampled_from(
    "so the um uh and it's a curve Spacing. i know you think of of - review, but why? Okay".split()),
    min_size=1, max_size=9), st.floats(0.1, 4.0)), min_size=1, max_size=12))
def test_reading_lines_lose_no_word_but_fillers_and_stutters(lines):
    from yt_transcript.rag.sentences import reading_lines

    t, snippets = 0.0, []
    for words, span in lines:
        snippets.append(Snippet(" ".join(words), t, t + span))
        t += span
    out = reading_lines(snippets)
    assert [_norm(w) for s in out for w in s.text.split() if _norm(w)] == _kept_words(snippets)
    assert all(a.start_s <= b.start_s for a, b in zip(out, out[1:]))


@pytest.mark.parametrize("text, mid", [
    ("There and these are kind of like sharp edges of the technology.", True),  # "...over there and these"
    ("It but the loss keeps going down.", True),
    ("and then the model samples a token.", True),
    ("Because the reward function is gameable.", True),
    ("there are three Rs in strawberry.", True),
    ("There are three Rs in strawberry.", False),
    ("This is how the tokenizer works.", False),
    ("Here we are looking at its training mixture.", False),
    ("Reward models and humans disagree sometimes.", False),
    ("Again and again the loss goes down.", False),
    ("Before and after training the model differs.", False),
    ("Are not really doing anything, they're an agent in a self-play system.", True),  # ends another's sentence
    ("Are they doing anything at all?", False),  # a question may open on one
    ("Do the exercise before the next lecture.", False),  # and an order on "do"
    ("Is it a wave or a particle?\u201d", False),  # asked inside quotation marks
    ("Will Smith starred in the film about the pursuit of happiness.", False),  # a name, not "will"
    ("", False),
])
def test_starts_mid_clause(text, mid):
    from yt_transcript.rag.sentences import starts_mid_clause

    assert starts_mid_clause(text) == mid


# Where ASR_TEXT's sentences end: after these words (the "it" of "every time you do it").
_READER_ENDS = ["away", "fast", "syllables", "review", "it", "notes"]


def _reader_ends(words):
    """Odds a break reader might give: sure of an end after each of _READER_ENDS in turn, of none elsewhere."""
    odds, wanted = np.full(len(words), -8.0, dtype=np.float32), list(_READER_ENDS)
    for k, w in enumerate(words):
        if wanted and w.norm == wanted[0] and (w.norm != "it" or words[k - 1].norm == "do"):
            odds[k] = 4.0
            wanted.pop(0)
    return odds


def test_the_break_readers_odds_decide_where_unpunctuated_sentences_end():
    from yt_transcript.rag.sentences import BreakOdds

    snippets = asr_snippets()
    words = words_of(snippets)
    found = sentences(snippets, BreakOdds(_reader_ends(words)))
    assert [s.text.rstrip(".").split()[-1].lower() for s in found[:-1]] == _READER_ENDS
    assert found[-1].text == "I think this is the most useful habit and I use it every week with flashcards."


def test_no_sentence_ends_on_and_or_the_whatever_the_odds():
    from yt_transcript.rag.sentences import BreakOdds

    snippets = [Snippet("so we predict the next word exactly and so what does that give us in the end", 0.0, 6.0)]
    words = words_of(snippets)
    odds = np.full(len(words), -4.0)
    odds[[w.norm for w in words].index("and")] = 8.0  # the reader is sure a sentence ends after "and"
    assert not [s.text for s in sentences(snippets, BreakOdds(odds)) if s.text.rstrip(".").endswith(" and")]


def test_break_odds_shifted_read_a_stretch_of_the_transcript():
    from yt_transcript.rag.sentences import BreakOdds

    snippets = asr_snippets()
    words = words_of(snippets)
    odds = BreakOdds(_reader_ends(words))
    whole = sentences(snippets, odds)
    k = 6  # a stretch from the seventh caption line, as the offline answer reads around a passage
    before = sum(len(s.text.split()) for s in snippets[:k])
    part = sentences(snippets[k:], odds.shifted(before))
    # After the first (which may start inside one of the whole's), the stretch's sentences are the whole's.
    assert len(part) >= 3 and [s.text for s in part][1:] == [s.text for s in whole][-(len(part) - 1):]
    # Odds for words it never read fall back to the word table rather than failing.
    assert sentences(snippets, BreakOdds(odds.odds[:10]))


def test_no_restored_sentence_opens_on_a_word_that_continues_a_clause():
    from yt_transcript.rag.sentences import BreakOdds

    snippets = asr_snippets()
    words = words_of(snippets)
    odds = _reader_ends(words)
    # A reader leaning to an end before each "of" ("...a curve. Of forgetting"), as it did on a lecture's
    # "...in the context window. Of this llm": the grammar outweighs it. (A soft rule: a sure end still
    # breaks, since a sentence may open "Of course".)
    odds[[k for k, w in enumerate(words[:-1]) if words[k + 1].norm == "of"]] = 1.0
    found = sentences(snippets, BreakOdds(odds))
    assert not any(s.text.split()[0].lower() == "of" for s in found)
    assert any("curve of forgetting" in s.text for s in found)
    assert [s.text.rstrip(".").split()[-1].lower() for s in found[:-1]] == _READER_ENDS


@pytest.mark.parametrize("said, read", [
    ("uh so um i think it's a it's a curve", "so I think it's a curve"),
    ("i've seen what i'm after", "I've seen what I'm after"),
    ("do you know what it is", "do you know what it is"),  # asked, "you know" is no filler
    ("and you know he found it", "and he found it"),
    ("the model is it", "the model is it"),  # nothing to drop: as said
    ("uh um", ""),
    ("includes things like U malware websites", "includes things like malware websites"),  # ASR's "uh"
])
def test_as_read(said, read):
    assert as_read(said) == read


@given(st.lists(st.sampled_from("so i think uh um it's a the model you know tokens i'm".split()), max_size=30))
def test_as_read_only_drops_words_never_adds_or_moves_them(words):
    said = [w.lower() for w in words]
    kept = as_read(" ".join(words)).lower().split()
    it = iter(said)
    assert all(any(w == x for x in it) for w in kept)  # a subsequence of what was said
    assert not FILLERS & set(kept)


def test_a_lone_u_is_a_filler_in_automatic_captions_only():
    asr = [Snippet("so this includes things like U malware websites", 0.0, 3.0),
           Snippet("and spam websites that we filter out", 3.0, 6.0)]
    assert " U " not in " ".join(s.text for s in sentences(asr))
    written = [Snippet("In GPT-2, space U is the common token.", 0.0, 3.0), Snippet("That is why it merges.", 3.0, 6.0)]
    assert "space U is the common token" in " ".join(s.text for s in sentences(written))


@pytest.mark.parametrize("text, shown", [
    ('"I\'m going to send it something that\'s not a dataset.', "I'm going to send it something that's not a dataset."),
    ('How good is a picture of a goat as a chart?"', "How good is a picture of a goat as a chart?"),
    ('He said "spacing works" and left.', 'He said "spacing works" and left.'),  # paired: as written
    ("\u201cSpacing beats cramming.", "Spacing beats cramming."),
    ("Spacing beats cramming.\u201d", "Spacing beats cramming."),
    ("\u201cSpacing beats cramming.\u201d", "\u201cSpacing beats cramming.\u201d"),
])
def test_a_quote_mark_nothing_pairs_with_is_off_a_quotes_ends(text, shown):
    from yt_transcript.rag.sentences import _unpaired_quotes_off

    assert _unpaired_quotes_off(text) == shown


_TEXT = ("It's perhaps the most stigmatized disorder of them all, even among psychologists. Maybe because it's "
         "rare, schizophrenia causes more anxiety in the media. As a result, its sufferers are shunned")


@pytest.mark.parametrize("match, shown", [
    # Cut at caption lines: the last word of the sentence before is off, and the sentence reads to its end.
    (("psychologists.", "schizophrenia"), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),
    (("Maybe", "anxiety"), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),
    (("Maybe", "media."), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),  # whole already
    (("It's", "them all,"), "It's perhaps the most stigmatized disorder of them all, even among psychologists."),
    (("As a result", "are shunned"), "As a result, its sufferers are shunned"),  # no end to read on to
])
def test_a_matchs_whole_sentences_is_whole_sentences_where_the_punctuation_says_so(match, shown):
    a = _TEXT.index(match[0])
    b = _TEXT.index(match[1]) + len(match[1])
    x, y = whole_sentences(_TEXT, (a, b))
    assert _TEXT[x:y] == shown


def test_an_unpunctuated_match_is_shown_as_it_is():
    text = "so the model predicts the next token and then it samples from that distribution again"
    assert whole_sentences(text, (3, 40)) == (3, 40) and whole_sentences(text, None) is None


@pytest.mark.parametrize("text, match, shown", [
    ("and Dr. Smith found that sleep matters. Then we", ("and Dr.", "found"),
     "and Dr. Smith found that sleep matters."),
    ("So we asked Dr. Smith about it. Then", ("So we", "asked"), "So we asked Dr. Smith about it."),  # no end at "Dr."
    ("one. As a result, its sufferers are shunned.", ("As a", "sufferers"), "As a result, its sufferers are shunned."),
    # A long lower-case opening is the match itself, not the tail of the sentence before.
    ("the tail end of a very long clause here. Maybe it's rare", ("the tail", "rare"),
     "the tail end of a very long clause here. Maybe it's rare"),
])
def test_a_matchs_whole_sentences_knows_abbreviations_and_the_texts_own_end(text, match, shown):
    a, b = text.index(match[0]), text.index(match[1]) + len(match[1])
    x, y = whole_sentences(text, (a, b))
    assert text[x:y] == shown

"""Study cards and the quiz (rag/study.py): grading that forgives what a student shouldn't lose a point for,
a shuffle the app can repeat, and cloze blanks that are terms worth learning."""

import json
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from yt_transcript.ingest.models import Card, Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.rag.sentences import FILLERS, sentences
from yt_transcript.rag.stopwords import STOPWORDS
from yt_transcript.rag.study import grade_answer, quiz_order

from .conftest import make_fake_chat_model, with_llm
from .test_sentences import asr_snippets
from .test_summarize import _four_topics

# --- grading ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("pretraining", "pre-training"),
    ("pre training", "pre-training"),
    ("Pre-Training", "pretraining"),
    ("  tokenizer. ", "tokenizer"),
    ('"Ebbinghaus"', "Ebbinghaus"),
    ("TOKENS", "token"),
    ("token", "tokens"),
    ("classes", "class"),
    ("memories", "memory"),
    ("byte pair encodings", "byte-pair encoding"),
    ("Ebbinhaus", "Ebbinghaus"),  # one letter missing
    ("tokenisers", "tokenizers"),  # one letter changed
    ("interelaving", "interleaving"),  # two neighbours swapped: one edit
    ("1,000", "1000"),
    ("GPT", "gpt"),
    ("spacing!", "Spacing"),
    ("math olympiad", "Olympiad"),  # one word of the student's own around the term
    ("adversarial examples", "adversarial"),
    ("Math Olympiad!", "olympiad"),
    ("filter", "filtering"),  # another form of the same word
    ("encode", "encoding"),
    ("trained", "training"),
    ("URL filtered", "URL filtering"),
    ("stopped", "stop"),
    ("neutral stimuli", "neutral stimulus"),  # a Latin plural
])
def test_forgiven(typed, expected):
    assert grade_answer(typed, expected)


@pytest.mark.parametrize("typed, expected", [
    ("", "spacing"),
    ("   ", "spacing"),
    ("?!", "spacing"),
    ("spacing", ""),
    ("cat", "car"),  # short answers: a one-letter change is another word
    ("GTP", "GPT"),
    ("1001", "1000"),
    ("Ebbnghas", "Ebbinghaus"),  # two letters off
    ("recall", "retrieval"),
    ("spaced repetition", "spacing"),
    ("not adversarial", "adversarial"),  # a negation is the opposite
    ("non-adversarial", "adversarial"),
    ("math olympiad problems", "olympiad"),  # two words more
    ("diagram", "cartoon diagram"),  # part of the term
    ("1.6", "1.5"),
    ("1.5 million", "1.5"),  # beside a number a word changes the value
    ("minus 5", "5"),
    ("false positives", "positive"),
    ("isn't adversarial", "adversarial"),
    ("self-supervised", "supervised"),  # a hyphened prefix makes another term
    ("semi supervised", "supervised"),
    ("pre-training", "training"),
    ("pre-trained", "training"),
    ("str", "string"),  # an ending is only cut from a word that stays five letters or more
    ("mean", "meaning"),
    ("even", "evening"),
    ("sing", "singing"),
    ("filtering", "filtering out"),
    ("Box", "Skinner Box"),  # part of a term
    ("conditioning", "classical conditioning"),
])
def test_not_forgiven(typed, expected):
    assert not grade_answer(typed, expected)


terms = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=127),
                min_size=1, max_size=20)
phrases = st.lists(terms, min_size=1, max_size=4).map(" ".join)


@given(phrases)
def test_any_term_is_its_own_answer(term):
    assert grade_answer(term, term)


@given(phrases)
def test_case_does_not_matter(term):
    assert grade_answer(term.upper(), term) and grade_answer(term.lower(), term.title())


@given(phrases, st.sampled_from(["-", " ", "", " - "]))
@example("00 0S", "")  # joined, the last word is long enough to read as a plural
@example("the 1990 s", "")
def test_the_joiner_between_words_does_not_matter(term, joiner):
    assert grade_answer(joiner.join(term.split()), term)


@given(phrases, st.sampled_from([".", "!", "?", ",", '"', "'", "(", ")", " "]))
def test_surrounding_punctuation_does_not_matter(term, mark):
    assert grade_answer(f"{mark}{term}{mark}", term)


@given(terms.filter(lambda t: len(t) >= 5), st.data())
def test_one_deleted_letter_is_forgiven_in_long_answers(term, data):
    i = data.draw(st.integers(0, len(term) - 1))
    assert grade_answer(term[:i] + term[i + 1:], term)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=4), st.data())
def test_short_answers_must_be_exact(term, data):
    i = data.draw(st.integers(0, len(term) - 1))
    other = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz").filter(lambda c: c != term[i]))
    assert not grade_answer(term[:i] + other + term[i + 1:], term)


# --- quiz order ---------------------------------------------------------------------------------------------

CARDS = [Card("Chapter", f"Question {i} _____.", f"answer{i}", float(i * 10), "cloze") for i in range(12)]


@given(st.integers())
def test_quiz_order_is_a_repeatable_permutation(seed):
    first = quiz_order(CARDS, seed)
    assert first == quiz_order(CARDS, seed)
    assert sorted(first, key=lambda c: c.start_s) == CARDS


def test_quiz_order_leaves_the_cards_as_they_were_and_depends_on_the_seed():
    before = list(CARDS)
    orders = {tuple(c.answer for c in quiz_order(CARDS, seed)) for seed in range(5)}
    assert CARDS == before and len(orders) > 1


def test_quiz_order_of_nothing_is_nothing():
    assert quiz_order([], 3) == []


# --- offline cloze cards ------------------------------------------------------------------------------------

# The issue's offending blanks: fillers and generic words that merely recur.
ISSUE_FILLERS = {"basically", "conversations", "called", "finally", "interesting", "really", "actually",
                 "something"}
# Unpunctuated ASR, as YouTube gives it: the fillers recur as often as the terms.
ASR_TALK = (
    "okay so today we're going to basically talk about the forgetting curve and why it matters for students "
    "the forgetting curve was measured by ebbinghaus who tested himself with nonsense syllables every single day "
    "basically what ebbinghaus found is that memory drops fast in the first day and then it levels off "
    "so now let's talk about conversations because conversations are really interesting but basically "
    "they are not the point here "
    "the way to beat the forgetting curve is spaced repetition which means reviewing at growing intervals "
    "with spaced repetition you review after one day then three days then a week and the curve flattens "
    "actually something interesting happens when you test yourself instead of rereading the notes "
    "retrieval practice means pulling the answer out of memory and retrieval practice beats rereading every time"
)


def _ingest(library, fake_embedder, video_id: str, snippets, title: str = "A talk") -> str:
    Ingestor(library.settings, library.storage, lambda: fake_embedder).index(
        Transcript(VideoMeta(video_id, title), snippets))
    return video_id


def _whole_sentence(card: Card, said: set[str]) -> bool:
    """The card's sentence with its blank filled is one of the transcript's readable sentences, unchanged."""
    return card.question.count("_____") == 1 and card.question.replace("_____", card.answer) in said


def _teaches_nothing(answer: str) -> bool:
    words = re.findall(r"[\w']+", answer.lower())
    return all(w in STOPWORDS or w in FILLERS or w in ISSUE_FILLERS for w in words)


@pytest.mark.parametrize(
    "sentence, term, is_term",
    [
        ("The window holds 1,024 tokens of the text.", "1,024", True),
        ("It cost 12,000,000 dollars to train.", "12,000,000", True),
        ("The loss fell to 2.5 by then.", "2.5", True),
        # ASR's garbling of "1,024": neither the number nor a piece of it is an answer to learn
        ("We never take more than 1,24 tokens at once.", "1,24", False),
        ("About 1,2345 people said so.", "1,2345", False),
        ("Some 1,24,000 runs later.", "1,24,000", False),
        ("Some 1234,567 runs later.", "1234,567", False),
        ("Some 1,24.5 runs later.", "1,24.5", False),
        # Four bare digits or more are an identifier (a token id read off the screen), unless a year
        ("This token is 13659 and not 3962 as before.", "13659", False),
        ("This token is 13659 and not 3962 as before.", "3962", False),
        ("The Transformer paper came out in 2017.", "2017", True),
        ("Turing wrote about it in 1950.", "1950", True),
        ("We mint a symbol with the ID 256.", "256", True),
    ],
)
def test_numbers_are_whole_terms_or_none(sentence, term, is_term):
    spans, (at, end) = _term_spans(sentence, term)
    assert ((at, end) in spans) is is_term
    # Never a blank inside a number: no term starts or ends within it.
    assert not any(at < a < end or at < b < end for a, b in spans)


def _term_spans(sentence: str, term: str) -> tuple[set[tuple[int, int]], tuple[int, int]]:
    """Where the sentence's candidate blanks are, and where the term is, as character ranges."""
    from yt_transcript.rag.study import _terms

    at = sentence.index(term)
    return {(t.start, t.end) for t in _terms(sentence)}, (at, at + len(term))


@pytest.mark.parametrize(
    "sentence, term, is_term",
    [
        ("Let's build Chachi PT so there are multiple stages.", "Chachi", False),
        ("Let me show you El Marina this is basically a leader board.", "Marina", False),
        ("We read Hermann Ebbinghaus on memory.", "Hermann Ebbinghaus", True),
        ("We read Hermann Ebbinghaus on memory.", "Ebbinghaus", False),
        ("Finally Ebbinghaus measured it on himself.", "Ebbinghaus", True),  # beside the sentence's first word
        ("Then Ebbinghaus I think measured it.", "Ebbinghaus", True),
    ],
)
def test_half_a_name_is_no_term(sentence, term, is_term):
    spans, where = _term_spans(sentence, term)
    assert (where in spans) is is_term


def test_offline_cards_blank_one_key_term_of_a_whole_sentence(sample_library):
    cards = sample_library.study_cards("yttSample01")
    said = {s.text: s for s in sentences(sample_library.transcript("yttSample01").snippets)}
    assert cards and all(c.kind == "cloze" for c in cards)
    for card in cards:
        assert _whole_sentence(card, set(said)), card
        sentence = said[card.question.replace("_____", card.answer)]
        assert card.start_s == sentence.start_s and 8 <= sentence.words <= 35
        assert not _teaches_nothing(card.answer)
    assert len({c.answer.lower() for c in cards}) == len(cards)  # no answer asked twice
    from yt_transcript.rag.study import study_cards

    by_counts = study_cards(sample_library.storage, "yttSample01", None)  # no model to weigh meaning with
    assert "Hermann Ebbinghaus" in {c.answer for c in by_counts}  # a name the talk gives is a good blank


def test_asr_cards_ask_the_recurring_terms_never_the_fillers(library, fake_embedder):
    video_id = _ingest(library, fake_embedder, "asrTalk0001", asr_snippets(ASR_TALK))
    cards = library.study_cards(video_id)
    said = {s.text for s in sentences(library.transcript(video_id).snippets)}
    assert cards and all(_whole_sentence(c, said) for c in cards)
    assert not [c.answer for c in cards if _teaches_nothing(c.answer)]
    recurring = {"forgetting curve", "ebbinghaus", "spaced repetition", "retrieval practice", "rereading"}
    assert {c.answer.lower() for c in cards} & recurring


def test_what_every_video_of_a_channel_says_is_no_term(library, fake_embedder):
    """The credits are in every video: their names recur in the chapter but teach nothing of it."""
    topics = ["volcano lava magma eruption crater", "violin orchestra symphony melody cello",
              "bread dough yeast flour oven", "satellite orbit rocket launch gravity",
              "glacier moraine crevasse iceberg fjord", "piston cylinder crankshaft engine valve",
              "neuron synapse axon dendrite myelin"]
    credits = ["This episode was written for you by our Kathleen Yale.",
               "Our consultant for the whole series is Blake de Pastino, with Kathleen Yale."]
    for v, topic in enumerate(topics):
        first, second, third, fourth, fifth = topic.split()
        lines = [f"The {first} and the {second} are what this whole episode explains in some detail.",
                 f"Every {first} shapes a {third}, and a {fourth} follows from the {fifth} soon after.", *credits]
        _ingest(library, fake_embedder, f"channel{v:04d}",
                [Snippet(t, 6.0 * i, 6.0 * i + 6) for i, t in enumerate(lines)])
    # Four cards a chapter: every sentence with a term in it is asked, the credits too if their names counted.
    answers = {c.answer.lower() for v in range(len(topics))
               for c in library.study_cards(f"channel{v:04d}", per_chapter=4)}
    assert answers and not {a for a in answers if "yale" in a or "pastino" in a}


def test_card_titles_are_the_offline_overviews(settings, library, fake_embedder):
    video_id = _four_topics(settings, library, fake_embedder, "fourtopics2")
    titles = [c.title for c in library.summarize(video_id).chapters]
    cards = library.study_cards(video_id)
    assert cards and {c.chapter for c in cards} <= set(titles)


def test_the_model_writes_cards_and_cloze_cards_stand_in_when_it_cannot(sample_library):
    good = make_fake_chat_model(json.dumps([{"question": "What flattens after a day?", "answer": "The curve"}]))
    cards = with_llm(sample_library, good).study_cards("yttSample01", per_chapter=1)
    assert cards and all(c.kind == "model" and c.answer == "The curve" for c in cards)
    garbled = with_llm(sample_library, make_fake_chat_model("Sure! Here are some cards: none.")).study_cards(
        "yttSample01", per_chapter=1)
    assert garbled and all(c.kind == "cloze" and "_____" in c.question for c in garbled)
    assert {c.chapter for c in garbled} <= {c.chapter for c in cards}


def test_a_set_of_cards_is_kept_for_its_transcript_model_and_library(sample_library):
    """A repeat costs no model call; another model, or a change to the library (rarity is judged across it),
    makes a new set."""
    llm = make_fake_chat_model(json.dumps([{"question": "What flattens after a day?", "answer": "The curve"}]))
    first = with_llm(sample_library, llm).study_cards("yttSample01", per_chapter=1)
    calls = len(llm.calls)
    assert calls and [c.to_dict() for c in with_llm(sample_library, llm).study_cards(
        "yttSample01", per_chapter=1)] == [c.to_dict() for c in first]
    assert len(llm.calls) == calls
    other = make_fake_chat_model(json.dumps([{"question": "Who drew the curve?", "answer": "Ebbinghaus"}]))
    assert {c.answer for c in with_llm(sample_library, other).study_cards("yttSample01", per_chapter=1)} == {
        "Ebbinghaus"}
    offline = sample_library.study_cards("yttSample01", per_chapter=1)
    assert offline == sample_library.study_cards("yttSample01", per_chapter=1) and offline[0].kind == "cloze"


def test_kept_cards_are_made_again_when_the_library_changes(sample_library, monkeypatch, tmp_path):
    from yt_transcript.rag import study as study_module

    from .conftest import SAMPLE_VTT

    made = []
    real = study_module._make_cards
    monkeypatch.setattr(study_module, "_make_cards", lambda *a: made.append(a[1]) or real(*a))
    sample_library.study_cards("yttSample01")
    sample_library.study_cards("yttSample01")
    assert made == ["yttSample01"]
    other = tmp_path / "anotherTalk.en.vtt"
    other.write_text(SAMPLE_VTT.read_text(encoding="utf-8"), encoding="utf-8")
    sample_library.ingest(str(other))
    sample_library.study_cards("yttSample01")
    assert made == ["yttSample01", "yttSample01"]


def test_a_term_the_chapter_is_about_makes_the_better_blank():
    from collections import Counter

    from yt_transcript.rag.study import TOPICAL_BOOST, _ClozeMaker, _terms

    maker = _ClozeMaker.__new__(_ClozeMaker)  # scoring only: no transcript to read
    maker.counts = [Counter({"gradient": 3, "laptop": 3})]
    maker.library = type("Everywhere", (), {"rarity": staticmethod(lambda key: 1.0)})()
    maker.topical = [{"gradient"}]
    maker.closeness = None  # no embedding model
    by_key = {t.key: t for t in _terms("the gradient on my laptop")}
    assert maker.score(by_key["gradient"], 0) == TOPICAL_BOOST * maker.score(by_key["laptop"], 0) > 0


def test_given_the_model_a_blank_close_to_the_chapters_meaning_beats_an_aside():
    from collections import Counter

    import numpy as np
    from yt_transcript.rag.study import _MEANING_FLOOR, _ClozeMaker, _Meaning, _terms

    maker = _ClozeMaker.__new__(_ClozeMaker)  # scoring only: no transcript to read
    maker.counts = [Counter({"gradient": 3, "swiss cheese": 3})]
    maker.library = type("Everywhere", (), {"rarity": staticmethod(lambda key: 1.0)})()
    maker.topical = [set()]
    axes = {"gradient": [0.8, 0.6], "swiss cheese": [-0.6, 0.8]}
    meaning = _Meaning(lambda keys: np.array([axes[k] for k in keys]), [np.array([2.0, 0.0])])
    maker.closeness = meaning.closeness(sorted(axes))
    by_key = {t.key: t for t in _terms("the gradient is a hole in the swiss cheese")}
    gradient, cheese = maker.score(by_key["gradient"], 0), maker.score(by_key["swiss cheese"], 0)
    maker.closeness = None
    assert gradient == pytest.approx(0.8 * maker.score(by_key["gradient"], 0))  # its cosine to the chapter
    assert cheese == pytest.approx(_MEANING_FLOOR * maker.score(by_key["swiss cheese"], 0)) and gradient > cheese


def _ingest_lines(library, fake_embedder, video_id: str, lines: list[str]) -> str:
    """A talk saying these lines three times over, one every 6 s."""
    return _ingest(library, fake_embedder, video_id,
                   [Snippet(text, 6.0 * i, 6.0 * i + 6) for i, text in enumerate(lines * 3)])


def test_no_card_from_the_channel_speaking_of_itself(library, fake_embedder, monkeypatch):
    import yt_transcript.rag.study as study

    lines = ["Memory works by retrieval practice and spaced review of the flashcards.",
             "Retrieval practice means recalling the flashcards from memory.",
             "If you would like to sponsor an episode get a special laptop decal for your laptop.",
             "Spaced review of the flashcards beats cramming for memory."]
    video_id = _ingest_lines(library, fake_embedder, "outrotalk01", lines)
    monkeypatch.setattr(study, "_OUTRO", re.compile("(?!)"))  # the rule off: the outro line makes a card
    assert any("sponsor" in c.question for c in study.study_cards(library.storage, video_id, None, per_chapter=4))
    monkeypatch.undo()
    monkeypatch.setattr(study, "CARDS_VERSION", "outro-test")  # made again, not read back
    cards = study.study_cards(library.storage, video_id, None, per_chapter=4)
    assert cards and not any("sponsor" in c.question for c in cards)


@pytest.mark.parametrize("sentence, statement", [
    ("It knows it's Buffalo Sabres let's drag in the other one.", False),  # the speaker working the screen
    ("Let me show you what the tokenizer does here.", False),
    ("Why don't pelicans ever pay for their drinks because they always bill it to someone else.", False),
    ("During inference what does this look like when you're on ChatGPT.", False),  # a question, unpunctuated
    ("How do you identify and diagnose these disorders?", False),
    ("Does it make sense to you that autoregressive LLMs are able to be so good yes can you explain.", False),
    ("Is it a wave or a particle at the smallest scales of the experiment.", False),
    ("Will Smith starred in a film about memory and the way it fades.", True),  # a name, not an auxiliary
    ("Let's say the model has seen this document ten times.", True),  # a "let's say" states something
    ("Let's call this the context window of the model.", True),
    ("We have insomnia, which is persistent problems of falling or staying asleep.", True),  # a relative clause
    ("Milgram began what would become one of the most famous experiments.", True),
    ("Tokenization turns text into a sequence of tokens from a fixed vocabulary.", True),
])
def test_a_card_is_made_only_from_a_statement(sentence, statement):
    from yt_transcript.rag.sentences import NOT_A_STATEMENT

    assert (NOT_A_STATEMENT.search(sentence) is None) == statement


def test_no_card_from_a_question_or_the_speaker_working_the_screen(library, fake_embedder):
    from yt_transcript.rag.sentences import NOT_A_STATEMENT
    from yt_transcript.rag.study import study_cards

    lines = ["Retrieval practice means recalling the flashcards from memory without looking.",
             "Why does retrieval practice beat rereading the flashcards for memory?",
             "Let's open the flashcards app and drag the retrieval practice deck in.",
             "Spaced review of the flashcards beats cramming for long term memory."]
    video_id = _ingest_lines(library, fake_embedder, "questalk001", lines)
    cards = study_cards(library.storage, video_id, None, per_chapter=4)
    assert cards and not [c.question for c in cards if NOT_A_STATEMENT.search(c.question)]
    assert not any(c.question.startswith(("Why", "Let's")) for c in cards)


@pytest.mark.parametrize("word_said, phrase_said, half", [
    (3, 3, True),  # "data engine" nearly every time: "The data _____" gives it away
    (3, 1, False),  # the phrase said once: the word stands on its own
    (1, 1, False),  # both said once ("transformer architecture"): a rare word may still be the blank
])
def test_a_word_the_chapter_says_inside_one_phrase_is_no_blank_alone(word_said, phrase_said, half):
    from collections import Counter

    from yt_transcript.rag.study import _ClozeMaker, _terms

    maker = _ClozeMaker.__new__(_ClozeMaker)  # term choice only: no transcript to read
    sentence = "The data engine labels every clip the cars send back"
    maker.terms, maker.found = [_terms(sentence)], [type("Said", (), {"text": sentence})()]
    maker.counts = [Counter({"engine": word_said, "data engine": phrase_said, "data": 4, "clip": 2, "car": 2})]
    maker.library = type("Everywhere", (), {"rarity": staticmethod(lambda key: 1.0)})()
    maker.topical, maker.closeness, maker.used = [{"engine"}], None, set()
    by_key = {t.key: t for t in maker.terms[0]}
    assert maker._half_of_a_phrase(by_key["engine"], 0, 0) is half
    assert not maker._half_of_a_phrase(by_key["data engine"], 0, 0)  # the phrase itself may be the blank
    if word_said > 1:  # "engine", the chapter's recurring topic, is the blank unless its half gives it away
        best = maker._best_term(0, 0)
        assert best is not None and (best[1].key != "engine") is half


@pytest.mark.parametrize("chapter, answer, shown", [
    ("Tokenizer and Dummy Prefix", "dummy prefix", ""),  # no title rather than one with its words blotted out
    ("Neural Networks and Inputs", "neural network", ""),  # a plural is the same word
    ("Sleep Stages and Dreams", "melatonin", "Sleep Stages and Dreams"),  # nothing to hide
    ("Encoding and Decoding", "decode", ""),  # nor an -ing form
])
def test_a_cards_chapter_title_never_gives_its_answer_away(chapter, answer, shown):
    from yt_transcript.ingest.models import Card
    from yt_transcript.rag.study import chapter_hint

    assert chapter_hint(Card(chapter, "it adds a _____.", answer, 12.0, "cloze")) == shown


@pytest.mark.parametrize("sentence, answer, spelt", [
    ("One of the best-studied personality disorders is borderline personality disorder, or BPD.",
     "borderline personality disorder", True),  # its initials beside the blank
    ("Cognitive behavioral therapy, known as CBT, is used for anxiety.", "CBT", True),  # its words beside it
    ("Cognitive behavioral therapy is used for anxiety and depression.", "cognitive behavioral therapy", False),
    ("CBT is still used for anxiety in some of these cases.", "CBT", False),  # nothing spelt out beside it
    ("The rapid eye movement stage is when we dream, and REMs come in cycles.", "rapid eye movement", True),
    ("The disorder is known as BPD (borderline personality disorder) in the manual.", "BPD", True),
    # Words that happen to share the letters are no spelling out.
    ("DNA does not always copy itself without errors.", "DNA", False),
    ("CBT can be tried first for most of these patients.", "CBT", False),
])
def test_a_blank_spelt_out_or_abbreviated_beside_itself_is_no_blank(sentence, answer, spelt):
    from yt_transcript.rag.study import _spelt_beside, _terms

    [term] = [t for t in _terms(sentence) if sentence[t.start:t.end].lower() == answer.lower()]
    assert _spelt_beside(term, sentence) is spelt


@pytest.mark.parametrize("line, outro", [
    ("Thank you for watching this episode, which was brought to you by our Patreon supporters.", True),
    ("Thanks for watching, and see you next time for more psychology.", True),
    ("If you would like to sponsor an episode get a special laptop decal.", True),
    ("The experiment was brought about by a change in the rules of the lab.", False),
    ("Watching others is how children learn aggression, Bandura showed.", False),
])
def test_the_channel_speaking_of_itself_is_told_apart(line, outro):
    from yt_transcript.rag.study import _OUTRO

    assert bool(_OUTRO.search(line)) is outro


@pytest.mark.parametrize("sentence, not_terms", [
    ("We can both encode and decode the strings with the tokenizer.", {"both encode", "both"}),
    ("For any pair inside stats, we are going to be looking into merges.", {"pair inside stat", "inside", "inside stat"}),
])
def test_function_words_are_no_part_of_a_blank(sentence, not_terms):
    from yt_transcript.rag.study import _terms

    keys = {t.key for t in _terms(sentence)}
    assert keys and not keys & not_terms

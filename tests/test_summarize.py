import json
import re

import pytest

from yt_transcript import Library
from yt_transcript.ingest import errors
from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.ingest.models import EXTRACTIVE_LABEL
from yt_transcript.rag import summarize as summarize_module

from .conftest import make_fake_chat_model, with_llm
from .test_chapters import TOPICS


def test_extractive_overview_of_the_sample(sample_library, settings):
    overview = sample_library.summarize("yttSample01")
    assert overview.chapter_source == "creator" and overview.model == "extractive"
    assert [c.title for c in overview.chapters][:2] == ["Why lectures slip away", "The forgetting curve"]
    assert all(c.summary for c in overview.chapters) and overview.tldr
    forgetting = overview.chapters[1]
    assert "Ebbinghaus" in forgetting.summary or "curve" in forgetting.summary
    md = overview.to_markdown()
    assert md.startswith("# How to Study from Video Lectures") and "## Summary" in md and EXTRACTIVE_LABEL in md
    assert "### [The forgetting curve (0:00:36)](https://www.youtube.com/watch?v=yttSample01&t=36s)" in md
    txt = overview.to_text()
    assert "The forgetting curve (0:00:36)\n" in txt and "https://" not in txt


def test_json_schema(sample_library, settings):
    data = json.loads(sample_library.summarize("yttSample01").to_json())
    assert set(data) >= {"video_id", "title", "chapter_source", "chapters", "tldr"}
    assert data["chapter_source"] in {"creator", "auto"}
    assert set(data["chapters"][0]) == {"start", "end", "title", "summary"}
    assert all(a["end"] == b["start"] for a, b in zip(data["chapters"], data["chapters"][1:]))


def test_summaries_are_cached_and_a_new_prompt_misses(sample_library, settings, monkeypatch):
    llm = make_fake_chat_model("A fine summary of the part.")
    first = with_llm(sample_library, llm).summarize("yttSample01")
    calls = len(llm.calls)
    assert calls == len(first.chapters) + 1 and first.cached == 0  # one per chapter, one TL;DR
    again = with_llm(sample_library, llm).summarize("yttSample01")
    assert len(llm.calls) == calls and again.cached == len(first.chapters) + 1
    assert again.to_dict() == first.to_dict()
    monkeypatch.setattr(summarize_module, "PROMPT_VERSION", "summary-next")
    with_llm(sample_library, llm).summarize("yttSample01")
    assert len(llm.calls) == 2 * calls


def test_long_chapters_are_map_reduced(sample_library, settings):
    llm = make_fake_chat_model("Part notes.")
    overview = with_llm(sample_library.with_settings(summary_part_words=30), llm).summarize("yttSample01")
    prompts = [str(call[0].content) for call in llm.calls]
    assert sum("notes on consecutive parts" in p for p in prompts) >= 1  # a reduce step ran
    assert len(prompts) > len(overview.chapters) + 1


def test_detected_chapters_when_the_creator_gave_none(settings, library, fake_embedder):
    _four_topics(settings, library, fake_embedder, "abcdefghijk")
    overview = library.summarize("abcdefghijk")
    assert overview.chapter_source == "auto" and len(overview.chapters) >= 2
    assert all(c.title and c.title != "Untitled" for c in overview.chapters)
    with pytest.raises(errors.NoCreatorChapters, match="detected chapters"):
        library.summarize("abcdefghijk", chapters="creator")


def test_a_search_hit_names_its_detected_chapter_as_the_overview_titles_it(settings, library, fake_embedder,
                                                                         monkeypatch):
    video_id = _four_topics(settings, library, fake_embedder, "fourtopics4")
    query = TOPICS[2].split()[0]
    monkeypatch.setattr(summarize_module, "EXTRACT_VERSION", "another")  # none made or kept under this one yet
    assert not any(h.chapter for h in library.search(query, videos=video_id))  # a search never makes them
    chapters = library.summarize(video_id).chapters
    hits = library.search(query, videos=video_id)
    assert hits and len(chapters) > 1
    for hit in hits:
        assert hit.chapter == [c.title for c in chapters if c.start_s <= hit.start_s][-1]


def test_auto_on_a_video_with_creator_chapters(sample_library, settings):
    overview = sample_library.summarize("yttSample01", chapters="auto")
    assert overview.chapter_source == "auto"


def _four_topics(settings, library, fake_embedder, video_id="fourtopics1"):
    snippets = []
    for t, topic in enumerate(TOPICS):
        words = topic.split()
        for k in range(30):
            snippets.append(Snippet(f"{words[k % 8]} {words[(k + 3) % 8]} {words[(k + 5) % 8]} is what we study "
                                    f"here today.", t * 180 + k * 6.0, t * 180 + k * 6.0 + 6))
    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta(video_id, "Four topics"),
                                                                        snippets))
    return video_id


def test_detected_chapters_are_titled_by_the_model_with_the_offline_title_as_fallback(settings, library,
                                                                                     fake_embedder):
    video_id = _four_topics(settings, library, fake_embedder)

    def reply(messages):
        prompt = str(messages[-1].content)
        if prompt.startswith("Give a short title"):
            # A usable title for the first chapter only; a rambling reply for the rest.
            return "Volcanoes and Lava" if "volcano" in prompt or "lava" in prompt else " ".join(["word"] * 14)
        return "A summary."

    llm = make_fake_chat_model(reply)
    overview = with_llm(library, llm).summarize(video_id, chapters="auto")
    titles = [c.title for c in overview.chapters]
    assert titles[0] == "Volcanoes and Lava"
    assert all(t and t != "Untitled" and "," not in t and "word word" not in t for t in titles[1:])
    calls = len(llm.calls)
    again = with_llm(library, llm).summarize(video_id, chapters="auto")  # titles are kept with the paragraphs
    assert len(llm.calls) == calls and again.to_dict() == overview.to_dict()


def test_a_merge_that_never_fits_keeps_the_notes_instead_of_failing(sample_library):
    """A small-context model whose merge prompts never fit: the overview still comes back, from its notes."""
    from yt_transcript.ingest import errors as errs
    from yt_transcript.rag.llm import ChatModel
    from yt_transcript.rag.summarize import _merge_notes

    class Tiny(ChatModel):
        def complete(self, prompt, *, max_tokens=None):
            if "Merge them" in prompt or "TL;DR" in prompt:
                raise errs.ContextTooLong("the prompt does not fit")
            return "A note."

    model = Tiny(sample_library.settings.llm, None, llm=object())
    assert _merge_notes(model, "T", ["one", "two", "three"]) == "one\n\ntwo\n\nthree"
    assert _merge_notes(model, "T", ["only"], "TL;DR {title} {text}") == "only"


def test_the_tldr_prefers_a_statement_of_topic_to_an_aside():
    """Two sentences equally central by their vectors: the one leaning on "this", "here" and "now" loses."""
    import numpy as np

    from yt_transcript.rag.sentences import Sentence
    from yt_transcript.rag.summarize import representativeness, tldr_extract

    texts = ["Tokenization turns text into tokens that the model reads one by one.",
             "So now this here has to run for a day or two more now.",
             "Tokens are the atoms of the model, and tokenization decides what they are."]
    found = [Sentence(10.0 * i, 10.0 * i + 9, t) for i, t in enumerate(texts)]
    vectors = np.ones((3, 4), dtype=np.float32) / 2.0
    score = representativeness(found, vectors, [0.0])
    assert score[1] < score[0] and score[1] < score[2]
    # One sentence from each third of a 30-second talk, in time order.
    assert tldr_extract(found, vectors, 30.0) == " ".join(texts)


def test_offline_titles_weigh_meaning_with_the_videos_own_model_only(settings, library, fake_embedder):
    from .conftest import FakeEmbedder

    video_id = _four_topics(settings, library, fake_embedder, "fourtopics3")
    asked: list[list[str]] = []

    class Counting(FakeEmbedder):
        def _encode(self, texts):
            asked.append(texts)
            return super()._encode(texts)

    same = Library(settings, embedder=Counting(), storage=library.storage)
    titles = [c.title for c in same.summarize(video_id, chapters="auto").chapters]
    assert asked and len(set(titles)) == len(titles)
    # A video kept from another model (another width here): titles by counts, no comparison, no crash.
    asked.clear()
    other = Library(settings, embedder=Counting(name="other-model", dims=32), storage=library.storage)
    assert [c.title for c in other.summarize(video_id, chapters="auto").chapters]
    assert not asked


def test_a_tldr_sentence_leaning_on_the_one_before_stands_lower(monkeypatch):
    import numpy as np

    from yt_transcript.rag.sentences import Sentence

    texts = ["Instead, he discovered that sleep has stages.", "Aserinsky discovered that sleep has stages.",
             "Dreams happen mostly in the stage called REM sleep.", "For example, dreams happen in REM sleep."]
    found = [Sentence(10.0 * i, 10.0 * i + 5, t, i * 10, i * 10 + 7, 6.0, True, 6.0) for i, t in enumerate(texts)]
    vectors = np.eye(3, dtype=np.float32)[[0, 0, 1, 1]]  # the first two say alike, and the last two
    score = summarize_module.representativeness(found, vectors, [0.0])
    monkeypatch.setattr(summarize_module, "LEAN_WEIGHT", 0.0)
    unweighed = summarize_module.representativeness(found, vectors, [0.0])
    assert list(unweighed - score) == pytest.approx([1.0, 0.0, 0.0, 1.0])  # "Instead, he" and "For example"
    assert score[0] < score[1]


def test_no_chapter_repeats_a_sentence_of_the_tldr(sample_library):
    overview = sample_library.summarize("yttSample01")
    said = {s for c in overview.chapters for s in re.split(r"(?<=[.?!])\s+", c.summary)}
    assert overview.tldr and not [s for s in re.split(r"(?<=[.?!])\s+", overview.tldr) if s in said]


@pytest.mark.parametrize("avoid, kept", [
    ("", True), ("Aserinsky discovered in his lab that our sleep has distinct stages.", False)])
def test_a_chapters_extract_leaves_out_what_the_tldr_says_while_it_has_others(avoid, kept):
    import numpy as np

    from yt_transcript.rag.sentences import Sentence

    texts = ["Aserinsky discovered in his lab that our sleep has distinct stages.",
             "Dreams happen mostly in the stage of sleep that is called REM sleep.",
             "The stages repeat every ninety minutes or so through a night."]
    found = [Sentence(10.0 * i, 10.0 * i + 5, t, i * 10, i * 10 + 9, 6.0, True, 6.0) for i, t in enumerate(texts)]
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    extract = summarize_module.chapter_extract(found, vectors, 0.0, 60.0, avoid=avoid)
    assert (texts[0] in extract) is kept and len(re.split(r"(?<=[.])\s+", extract)) == 2


@pytest.mark.parametrize("text, leans", [
    ("She found rotten food in the asylum kitchen.", True),
    ("They\u2019re diluted by depictions of depression as something a spa day can treat.", True),
    ("These include depressive disorders and bipolar disorders.", True),
    ("For example, norepinephrine is lacking in depressed brains.", True),
    ("Even though everything is looking good on the level of the loss.", True),  # a lone concessive clause
    ("Even though it looks good, the loss is still far too high.", False),  # its main clause follows
    ("Depression has been called the common cold of psychological disorders.", False),
    ("This talk is about how we remember and forget.", False),  # "this" points at the talk, not back
])
def test_what_leans_on_the_sentence_before(text, leans):
    assert summarize_module.leans_back(text) is leans

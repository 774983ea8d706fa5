"""The front door: `from yt_transcript import Library` does everything, and options are never dropped."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import yt_transcript
from yt_transcript import Library, SearchOptions
from yt_transcript.ingest import errors
from yt_transcript.ingest.export import plain

from .conftest import REPO, SAMPLE_VTT


def test_public_names_all_import():
    for name in yt_transcript.__all__:
        assert getattr(yt_transcript, name) is not None
    assert issubclass(yt_transcript.errors.ModelUnreachable, yt_transcript.ModelError)
    assert issubclass(yt_transcript.errors.HomeReadOnly, yt_transcript.StoreError)
    assert issubclass(yt_transcript.errors.NetworkError, yt_transcript.SourceError)
    assert issubclass(yt_transcript.errors.CaptionFileError, yt_transcript.InputError)


def test_import_stays_light():
    """`import yt_transcript` must not pull in the heavy stack (the CLI's --help depends on it)."""
    code = ("import sys, yt_transcript; heavy = {'torch', 'chromadb', 'sentence_transformers', 'langchain_core', "
            "'pydantic_settings'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ingest_videos_search_ask_summarize_cards_export_remove(library, tmp_path):
    [result] = library.ingest(str(SAMPLE_VTT))
    assert result.ok and result.to_dict()["videos"][0]["video_id"] == "yttSample01"
    assert [v.meta.video_id for v in library.videos()] == ["yttSample01"]
    assert json.loads(json.dumps(library.video("yttSample01").to_dict()))["chunks"] > 0
    hits = library.search("forgetting curve Ebbinghaus", k=2)
    assert len(hits) == 2 and hits[0].url.startswith("https://www.youtube.com/watch?v=yttSample01&t=")
    assert hits[0].to_markdown().startswith(f"**{hits[0].title}")
    answer = library.ask("Who measured how fast we forget nonsense syllables?")
    assert answer.kind == "extractive" and answer.citations and "[S1]" in answer.to_markdown()
    overview = library.summarize("yttSample01")
    assert overview.to_markdown().startswith("# How to Study") and overview.to_dict()["chapters"]
    cards = library.study_cards("yttSample01")
    assert cards and all(set(c.to_dict()) == {"chapter", "question", "answer", "start_s", "kind"} for c in cards)
    notes = library.notes("yttSample01", [answer])
    assert "## Questions" in notes and plain(answer.question) in notes
    out = tmp_path / "talk.srt"
    assert library.export("yttSample01", "srt", to=out).startswith("1\n") and out.read_text().startswith("1\n")
    assert library.remove("yttSample01").meta.video_id == "yttSample01" and library.videos() == []


def test_keywords_and_options_merge(sample_library, monkeypatch):
    """A keyword given wins over the options object; everything else in the options is kept."""
    import yt_transcript.rag.answer as answer
    import yt_transcript.rag.retrieve as retrieve

    seen = []
    real = retrieve.search
    spy = lambda s, e, q, options: seen.append(options) or real(s, e, q, options)  # noqa: E731
    monkeypatch.setattr(retrieve, "search", spy)
    monkeypatch.setattr(answer, "search", spy)
    options = SearchOptions(k=4, merge=False, channel="yt-transcript")
    sample_library.search("spacing", k=2, options=options)
    sample_library.search("spacing", options=options)
    sample_library.ask("why space out study sessions?", options=options)
    sample_library.ask("why space out study sessions?")
    sample_library.ask("why space out study sessions?", k=3)
    assert [o.k for o in seen] == [2, 4, 4, 6, 3]  # 6: YT_TRANSCRIPT_ASK_PASSAGES when nothing says otherwise
    assert all(not o.merge and o.channel == "yt-transcript" for o in seen[:3])
    assert options.k == 4  # the caller's object is never changed


def test_with_settings_shares_storage_and_models(sample_library):
    other = sample_library.with_settings(model="openai:m", base_url="http://127.0.0.1:9/v1")
    assert other.storage is sample_library.storage and other.settings.llm.model == "openai:m"
    assert sample_library.settings.llm.model is None and sample_library.chat_model() is None
    assert other.chat_model().name == "openai:m"


@pytest.mark.parametrize("call, error", [
    (lambda lib: lib.search(""), errors.EmptyQuestion),
    (lambda lib: lib.ask("  "), errors.EmptyQuestion),
    (lambda lib: lib.ask("?"), errors.EmptyQuestion),  # punctuation asks nothing
    (lambda lib: lib.chat(videos="zzzzzzzzzzz"), errors.VideoNotIndexed),  # said before the first question
    (lambda lib: lib.search("spacing", since="May 2024"), errors.InvalidDate),
    (lambda lib: lib.ingest(), errors.InvalidSource),
    (lambda lib: lib.ingest("a.vtt", "b.vtt", title="T"), errors.ConflictingOptions),
    (lambda lib: lib.summarize("yttSample01", chapters="some"), errors.InvalidChoice),
    (lambda lib: lib.export("yttSample01", "docx"), errors.InvalidChoice),
    (lambda lib: lib.export("yttSample01", to="/nonexistent-folder/x.txt"), errors.OutputNotWritable),
    (lambda lib: lib.video("zzzzzzzzzzz"), errors.VideoNotIndexed),
    (lambda lib: lib.search("spacing", k=0), errors.InvalidCount),
    (lambda lib: lib.search("spacing", k="3"), errors.InvalidCount),
    (lambda lib: lib.ingest("@someone", limit=0), errors.InvalidCount),
    (lambda lib: lib.study_cards("yttSample01", per_chapter=-1), errors.InvalidCount),
])
def test_bad_input_is_an_input_error(sample_library, call, error):
    with pytest.raises(error) as info:
        call(sample_library)
    assert isinstance(info.value, errors.InputError) and info.value.advice


def test_an_empty_library_says_so(library):
    with pytest.raises(errors.LibraryEmpty, match="the library is empty"):
        library.search("anything")
    with pytest.raises(errors.LibraryEmpty):
        library.chat()


def test_errors_carry_their_data():
    assert errors.VideoNotIndexed("abc").video_id == "abc"
    assert errors.OutputNotWritable("/x/y", "no folder /x").path == "/x/y"
    assert errors.CaptionFileError("f.vtt: line 3: bad", path="f.vtt", line=3).line == 3


def _python_snippet() -> str:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Use it from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
def test_readme_python_snippet_runs_on_the_sample_talk(tmp_path):
    """The README's snippet, exactly as written, from a folder laid out like the repository."""
    shutil.copytree(REPO / "ingest" / "samples", tmp_path / "ingest" / "samples")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YT_TRANSCRIPT_", "OPENAI_"))}
    done = subprocess.run([sys.executable, "-c", _python_snippet()], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("https://www.youtube.com/watch?v=yttSample01&t=")
    assert "Quotes from the video" in done.stdout and "Spacing" in done.stdout
    assert "# How to Study from Video Lectures" in done.stdout


def test_all_lists_exactly_the_public_names():
    assert sorted(yt_transcript.__all__) == sorted([*yt_transcript._PUBLIC, "errors"])


def test_a_store_that_is_down_fails_before_any_embedding(settings, fake_embedder):
    lib = Library(settings.with_values(chroma_url="http://127.0.0.1:9"), embedder=fake_embedder)
    with pytest.raises(errors.StoreUnavailable, match="127.0.0.1:9"):
        lib.ingest(str(SAMPLE_VTT))
    assert fake_embedder.calls == 0 and lib.videos() == []


def test_a_datetime_since_keeps_its_own_day(sample_library):
    from datetime import datetime

    uploaded = sample_library.video("yttSample01").meta.upload_date
    day = datetime.fromisoformat(uploaded)
    assert sample_library.search("spacing", since=day, k=1) and sample_library.search("spacing", until=day, k=1)


def test_models_load_once_for_every_copy_of_a_library(settings, monkeypatch):
    """The app makes a copy per session (with_settings): the embedding model must not load again for each."""
    import yt_transcript.ingest.embedding as embedding

    from .conftest import FakeEmbedder

    loads = []
    monkeypatch.setattr(embedding, "load_fast_embedder", lambda model, home: loads.append(model) or FakeEmbedder())
    root = Library(settings)
    copies = [root.with_settings(model=f"openai:m{i}") for i in range(3)]
    assert len({id(c._embedder_for_queries()) for c in [root, *copies]}) == 1 and loads == ["all-MiniLM-L6-v2"]


def test_rename_changes_title_and_channel_and_keeps_the_rest(sample_library):
    lib = sample_library
    before = lib.video("yttSample01")
    after = lib.rename("yttSample01", title="  Studying from lectures ", channel="Sample Channel")
    assert (after.meta.title, after.meta.channel) == ("Studying from lectures", "Sample Channel")
    assert lib.video("yttSample01").meta.title == "Studying from lectures"
    assert after.meta.chapters == before.meta.chapters and after.chunk_count == before.chunk_count
    assert lib.search("spacing", k=1)[0].title == "Studying from lectures"  # results carry the new title
    assert lib.rename("yttSample01", channel="Other").meta.title == "Studying from lectures"  # None keeps it
    with pytest.raises(errors.InputError):
        lib.rename("yttSample01", title="   ")
    with pytest.raises(errors.VideoNotIndexed):
        lib.rename("noSuchVideo", title="x")


def test_known_finds_a_caption_file_already_in_the_library(sample_library, tmp_path):
    lib = sample_library
    assert lib.known(str(SAMPLE_VTT)).meta.video_id == "yttSample01"
    assert lib.known("https://www.youtube.com/watch?v=yttSample01").meta.video_id == "yttSample01"
    changed = tmp_path / SAMPLE_VTT.name
    changed.write_text(SAMPLE_VTT.read_text().replace("forget", "remember"))
    assert lib.known(str(changed)) is None  # same id, other words: not the same transcript
    assert lib.known("not a video!") is None


def test_offline_is_the_same_library_without_a_model(sample_library):
    from .conftest import make_fake_chat_model, with_llm

    lib = with_llm(sample_library, make_fake_chat_model("never used"))
    offline = lib.with_settings(model="openai:gpt-4o-mini").offline()
    assert offline.chat_model() is None and offline.storage is lib.storage
    assert offline.summarize("yttSample01").model == "extractive"


def test_detected_chapters_are_counted_at_ingest_and_agree_with_the_overview(library, tmp_path):
    """The Library page's count is the overview's: detected at ingest, kept per transcript version."""
    from .conftest import SAMPLE_VTT

    bare = tmp_path / "talk.en.vtt"  # the sample talk without its info.json: no creator chapters
    bare.write_text(SAMPLE_VTT.read_text(encoding="utf-8"), encoding="utf-8")
    [result] = library.ingest(str(bare), video_id="noChapters1")
    assert result.ok
    count, source = library.chapter_count("noChapters1", detect=False)  # known without detecting again
    overview = library.summarize("noChapters1")
    assert source == overview.chapter_source == "auto"
    assert count == len(overview.chapters) >= 1


def test_paragraphs_read_raw_asr_as_sentences_worked_out_once(settings, library, fake_embedder, monkeypatch):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor
    from yt_transcript.rag import sentences

    from .test_sentences import asr_snippets

    snippets = asr_snippets()
    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta("asrsample01", "Memory"),
                                                                                snippets))
    read = library.paragraphs("asrsample01")
    lines = [s.text for _, para in read for s in para]
    assert all(line[0].isupper() and line.endswith((".", "?", "!")) for line in lines) and len(lines) >= 5
    written = library.paragraphs("asrsample01", as_written=True)
    assert [s.text for _, para in written for s in para] == [s.text for s in snippets]
    monkeypatch.setattr(sentences, "reading_lines", lambda _: pytest.fail("kept lines are not re-read"))
    assert library.paragraphs("asrsample01") == read
    assert Library(settings, embedder=fake_embedder).paragraphs("asrsample01") == read  # kept in the catalog
    # Another language: the captions as written (the fillers and sentence starts known are English ones).
    Ingestor(settings, library.storage, lambda: fake_embedder).index(
        Transcript(VideoMeta("asrsample02", "Mémoire", language="fr"), snippets))
    assert [s.text for _, para in library.paragraphs("asrsample02") for s in para] == [s.text for s in snippets]


def test_export_reads_in_sentences_where_a_person_reads_and_keeps_caption_lines_elsewhere(settings, library,
                                                                                          fake_embedder):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor

    from .test_sentences import asr_snippets

    snippets = asr_snippets()
    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta("asrsample01", "Memory"),
                                                                                snippets))
    sentences = [s.text for _, para in library.paragraphs("asrsample01") for s in para]
    for fmt in ("txt", "md"):
        text = library.export("asrsample01", fmt)
        assert " uh " not in text and all(s in text for s in sentences)  # as the Transcript tab reads it
        written = library.export("asrsample01", fmt, as_written=True)
        assert " uh " in written and all(s.text in written for s in snippets)
    for fmt in ("srt", "vtt"):  # subtitles keep the caption lines and their times
        assert all(s.text in library.export("asrsample01", fmt) for s in snippets)
    assert [s["text"] for s in json.loads(library.export("asrsample01", "json"))["snippets"]] == \
        [s.text for s in snippets]


def test_export_never_reads_sentence_breaks(settings, library, fake_embedder, monkeypatch):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor
    from yt_transcript.rag import breaks

    from .test_sentences import asr_snippets

    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta("asrsample01", "Memory"),
                                                                                asr_snippets()))
    monkeypatch.setattr(breaks, "reads", lambda transcript, model: True)  # a video the reader would read
    monkeypatch.setattr(breaks, "read_breaks", lambda *a: pytest.fail("export read the sentence breaks"))
    text = library.export("asrsample01", "txt")
    assert " uh " not in text and "I think this is the most useful habit." in text  # the word table's sentences
    # Nothing is remembered from it: the Transcript tab, which may read, still reads the breaks.
    read = []
    monkeypatch.setattr(breaks, "read_breaks", lambda *a: read.append(a) or None)
    library.paragraphs("asrsample01")
    assert read  # the reader was asked, once the export had not answered for it


def test_a_video_without_chapters_reads_and_exports_under_the_overviews_detected_headings(library, tmp_path):
    """A student reading or exporting a long talk without creator chapters gets the detected ones as headings,
    named as the offline overview names them, and is told they were detected."""
    from .conftest import SAMPLE_VTT

    bare = tmp_path / "talk.en.vtt"  # the sample talk without its info.json: no creator chapters
    bare.write_text(SAMPLE_VTT.read_text(encoding="utf-8"), encoding="utf-8")
    [result] = library.ingest(str(bare), video_id="noChapters1")
    assert result.ok and not library.video("noChapters1").meta.chapters
    chapters = library.chapters("noChapters1")
    overview = library.summarize("noChapters1")
    assert [(c.title, c.start_s) for c in chapters] == [(c.title, c.start_s) for c in overview.chapters]
    assert all(c.title for c in chapters)
    read = library.paragraphs("noChapters1")
    assert [c.title for c in dict.fromkeys(chapter for chapter, _ in read)] == [c.title for c in chapters]
    md = library.export("noChapters1", "md")
    assert "- **Chapters:** detected in the transcript" in md
    assert [line.removeprefix("## ").lstrip("[").rsplit(" (", 1)[0] for line in md.splitlines() if line.startswith("## ")] == \
        [c.title for c in chapters]
    txt = library.export("noChapters1", "txt")
    assert "Chapters detected in the transcript" in txt and all(f"{c.title} (" in txt for c in chapters)
    # Caption formats carry the video's own chapters only: none are made up for them.
    assert json.loads(library.export("noChapters1", "json"))["chapters"] == []


def test_a_short_clip_gets_no_detected_heading(settings, library, fake_embedder):
    from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor

    snippets = [Snippet("Spaced review beats cramming for memory.", 0.0, 5.0),
                Snippet("Retrieval practice means recalling without looking.", 5.0, 10.0)]
    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta("shortclip01", "Clip"),
                                                                                snippets))
    assert library.chapters("shortclip01") == []  # one heading over it all is nothing to navigate by
    assert "detected" not in library.export("shortclip01", "md").lower()


def test_a_video_with_creator_chapters_reads_under_them(sample_library):
    chapters = sample_library.chapters("yttSample01")
    assert chapters == sample_library.video("yttSample01").meta.chapters and chapters
    md = sample_library.export("yttSample01", "md")
    assert "detected" not in md and all(f"## {c.title} (" in md or f"## [{c.title} (" in md for c in chapters)


def test_find_shows_automatic_captions_as_read(settings, library, fake_embedder):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor

    from .test_sentences import asr_snippets

    Ingestor(settings, library.storage, lambda: fake_embedder).index(Transcript(VideoMeta("asrsample01", "Memory"),
                                                                                asr_snippets()))
    said = library.find("asrsample01", "memory works").said
    assert said and "how memory works" in said[0].text and " uh " not in f" {said[0].text} "


def test_chapter_counts_work_out_missing_ones_within_a_budget(library, fake_embedder):
    from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor

    ids = []
    for v in range(3):  # stored as a library from before counts were kept at ingest: none is kept
        snippets = [Snippet(f"topic {v} sentence {i} about gravity and orbits and planets.", 5.0 * i, 5.0 * i + 5)
                    for i in range(40)]
        Ingestor(library.settings, library.storage, lambda: fake_embedder).index(
            Transcript(VideoMeta(f"oldvideo{v:03d}", f"Old {v}"), snippets))
        ids.append(f"oldvideo{v:03d}")
    assert all(library.chapter_count(v, detect=False)[0] is None for v in ids)
    assert library.chapter_counts(ids, budget_s=0.0) == {v: (None, "auto") for v in ids}  # no time: none
    counted = library.chapter_counts(ids)
    assert all(count is not None and source == "auto" for count, source in counted.values())
    assert all(library.chapter_count(v, detect=False) == counted[v] for v in ids)  # kept for the next listing


def test_the_overview_and_the_transcript_read_asr_sentence_breaks_once(settings):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor
    from yt_transcript.rag.breaks import kept_breaks

    from .test_breaks import TALK, ReadingFake
    from .test_sentences import asr_snippets

    reader = ReadingFake()  # the reader's model name, with layers to read
    lib = Library(settings, embedder=reader)
    Ingestor(settings, lib.storage, lambda: reader).index(Transcript(VideoMeta("asrreader02", "Compilers"),
                                                                     asr_snippets(TALK * 3)))
    assert kept_breaks(lib.storage, "asrreader02") is None
    overview = lib.summarize("asrreader02", chapters="auto")
    assert overview.chapters and kept_breaks(lib.storage, "asrreader02") is not None
    read = reader.read
    lines = [s.text for _, para in lib.paragraphs("asrreader02") for s in para]
    lib.study_cards("asrreader02")
    assert reader.read == read and all(line.endswith(".") for line in lines)  # read once, for all three
    lib.close()


def test_a_home_that_keeps_nothing_reads_a_videos_breaks_once_a_session(settings):
    from yt_transcript.ingest.models import Transcript, VideoMeta
    from yt_transcript.ingest.pipeline import Ingestor

    from .test_breaks import TALK, ReadingFake
    from .test_sentences import asr_snippets

    reader = ReadingFake()
    lib = Library(settings, embedder=reader)
    Ingestor(settings, lib.storage, lambda: reader).index(Transcript(VideoMeta("asrreader04", "Compilers"),
                                                                     asr_snippets(TALK * 3)))
    lib.storage.read_only = True  # as a home opened read-only: nothing is kept in the catalog
    for _ in range(3):  # the app's reruns
        lib.paragraphs("asrreader04")
        lib.summarize("asrreader04", chapters="auto")
    assert reader.read == 1
    lib.close()


def test_own_notes_are_kept_through_a_remove_and_a_question_can_be_forgotten(sample_library):
    lib = sample_library
    assert lib.own_note("yttSample01") == ""
    lib.save_own_note("yttSample01", "Review on day 1, 3 and 7.")
    lib.ask("Why does spacing beat cramming?", videos="yttSample01")
    assert lib.forget_answer("yttSample01", "Why does spacing beat cramming?")
    assert not lib.forget_answer("yttSample01", "a question never asked")
    assert lib.saved_answers("yttSample01") == []
    lib.remove("yttSample01")
    with pytest.raises(yt_transcript.errors.VideoNotIndexed):
        lib.own_note("yttSample01")
    lib.ingest(str(SAMPLE_VTT))
    assert lib.own_note("yttSample01") == "Review on day 1, 3 and 7."  # back with the video
    lib.save_own_note("yttSample01", "  ")
    assert lib.own_note("yttSample01") == ""


def test_a_read_only_catalog_from_before_own_notes_has_none(tmp_path):
    from .conftest import catalog_from_before

    assert catalog_from_before(tmp_path, "own_notes").own_note("anyVideo001") == ""

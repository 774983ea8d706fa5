"""Questions asked about one video are kept in the catalog (through Storage) for the video's study notes."""

from .conftest import SAMPLE_VTT, catalog_from_before, make_fake_chat_model, with_llm

QUESTION = "Who measured how fast we forget nonsense syllables?"


def test_a_question_about_one_video_is_kept_with_its_citations(sample_library):
    answer = sample_library.ask(QUESTION, videos="yttSample01")
    [kept] = sample_library.saved_answers("yttSample01")
    assert (kept.question, kept.text, kept.model, kept.kind, kept.grounded) == (
        answer.question, answer.text, answer.model, answer.kind, answer.grounded)
    assert [c.to_dict() for c in kept.citations] == [c.to_dict() for c in answer.citations] != []


def test_only_questions_about_exactly_one_video_are_kept(sample_library):
    sample_library.ingest(str(SAMPLE_VTT), video_id="local-talk")
    sample_library.ask(QUESTION)  # the whole library
    sample_library.ask(QUESTION, videos=["yttSample01", "local-talk"])
    assert sample_library.saved_answers("yttSample01") == sample_library.saved_answers("local-talk") == []
    sample_library.ask(QUESTION, videos=["local-talk"])
    assert [a.question for a in sample_library.saved_answers("local-talk")] == [QUESTION]
    assert sample_library.saved_answers("yttSample01") == []


def test_nothing_found_is_not_kept(sample_library):
    answer = sample_library.ask("capital city of australia canberra parliament", videos="yttSample01")
    assert answer.kind == "not_found" and sample_library.saved_answers("yttSample01") == []


def test_asking_again_replaces_the_answer_and_moves_it_last(sample_library):
    sample_library.ask(QUESTION, videos="yttSample01")
    sample_library.ask("What does spacing mean for study sessions?", videos="yttSample01")
    llm = make_fake_chat_model("Hermann Ebbinghaus did [S1].")
    with_llm(sample_library, llm).ask(QUESTION, videos="yttSample01")
    kept = sample_library.saved_answers("yttSample01")
    assert [a.question for a in kept] == ["What does spacing mean for study sessions?", QUESTION]
    assert kept[1].text == "Hermann Ebbinghaus did [S1]." and kept[1].kind == "generated" and kept[1].grounded


def test_removing_the_video_forgets_its_questions(sample_library):
    sample_library.ask(QUESTION, videos="yttSample01")
    sample_library.remove("yttSample01")
    sample_library.ingest(str(SAMPLE_VTT))
    assert sample_library.saved_answers("yttSample01") == []


def test_a_read_only_catalog_from_before_answers_were_kept_reads_none(tmp_path):
    catalog = catalog_from_before(tmp_path, "answers")
    assert catalog.answers("yttSample01") == []
    catalog.close()


def test_a_read_only_storage_does_not_keep_answers(sample_library, monkeypatch):
    """What Storage does for a read-only home (the CLI test mounts a real one); asking still works."""
    monkeypatch.setattr(sample_library.storage, "read_only", True)
    assert sample_library.ask(QUESTION, videos="yttSample01").citations
    monkeypatch.setattr(sample_library.storage, "read_only", False)
    assert sample_library.saved_answers("yttSample01") == []

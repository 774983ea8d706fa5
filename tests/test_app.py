"""The Streamlit app, page by page, with streamlit.testing's AppTest and the fakes from tests/."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from .conftest import REPO, SAMPLE_VTT, make_fake_chat_model

APP = str(REPO / "ui" / "app.py")
SAMPLE = "yttSample01"
QUESTION = "Who measured forgetting with nonsense syllables?"


@pytest.fixture
def app(settings, fake_embedder, monkeypatch):
    monkeypatch.setenv("YT_TRANSCRIPT_HOME", str(settings.home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["embedder_override"] = fake_embedder
    return at


def ingest_sample(at):
    at.run()
    at.text_area(key="sources").input(str(SAMPLE_VTT))
    at.button(key="add").click().run()
    return at


def goto(at, page, **params):
    """Open a page as a link would: ?page=NAME&v=...&t=..."""
    at.query_params.clear()
    at.query_params.update({"page": page, **params})
    return at.run()


def ask(at, question=QUESTION):
    at.chat_input(key="chat_q").set_value(question).run()
    return at


def buttons(at, prefix):
    """The buttons whose name, as a browser shows it, starts with `prefix`."""
    return [b for b in at.button if html.unescape(b.label).startswith(prefix)]


def test_library_page_ingests_lists_and_reports_errors(app):
    at = ingest_sample(app)
    assert not at.exception
    assert any("Added “How to Study" in s.value for s in at.success)
    assert at.dataframe[0].value["title"][0].startswith("How to Study")
    at.text_area(key="sources").input("not a video!").run()
    at.button(key="add").click().run()
    assert any("Pass a YouTube URL" in e.value.replace("&#46;", ".") for e in at.error)  # the CLI's message


def test_a_second_add_of_the_same_file_asks_first(app):
    at = ingest_sample(app)
    at.button(key="add").click().run()
    assert any("Already in the library" in w.value for w in at.warning)
    assert not at.success  # nothing re-ingested yet
    at.button(key="skip-dups").click().run()
    assert any("Nothing new to add" in i.value for i in at.info)


def test_rename_and_remove_with_confirmation(app, settings):
    at = ingest_sample(app)
    at.text_input(key=f"title-{SAMPLE}").input("Studying from lectures")
    at.text_input(key=f"channel-{SAMPLE}").input("Sample Channel")
    at.button(key=f"FormSubmitter:rename-{SAMPLE}-Save title and channel").click().run()
    assert not at.exception
    assert at.dataframe[0].value["title"][0] == "Studying from lectures"
    assert at.dataframe[0].value["channel"][0] == "Sample Channel"
    assert at.button(key="remove").disabled  # nothing goes before the box is ticked
    at.checkbox(key=f"sure-{SAMPLE}").check().run()
    at.button(key="remove").click().run()
    assert any("library is empty" in i.value for i in at.info)


def test_video_page_chat_citation_seeks_and_keeps_the_place_in_the_url(app):
    at = ingest_sample(app)
    at.session_state["llm_override"] = make_fake_chat_model("Ebbinghaus measured it [S1].")
    goto(at, "video", v=SAMPLE)
    assert not at.exception
    assert any("Why lectures slip away" in e.label for e in at.expander)  # chapters, collapsed
    ask(at)
    [cite] = buttons(at, "[S1] Play ")
    # The button names the moment and the words it plays, not the video's title again.
    assert "How to Study" not in cite.label and re.match(r"\[S1\] Play 0:\d\d:\d\d: \w", html.unescape(cite.label))
    cite.click().run()
    assert at.session_state["start_s"] > 0
    assert at.query_params["t"] == str(at.session_state["start_s"]) and at.query_params["v"] == SAMPLE
    assert any(c.value.startswith("Playing from 0:0") and c.value != "Playing from 0:00:00" for c in at.caption)


def test_an_offline_answer_says_each_quote_once_whole_on_its_play_button(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    assert not at.exception and any(c.value.startswith("Quotes from the video") for c in at.caption)
    cites = [html.unescape(b.label) for b in buttons(at, "[S")]
    quotes = [re.search(r"“(.+)”$", label).group(1) for label in cites]
    assert quotes and all(not q.endswith("…") for q in quotes)  # whole, not cut
    shown = html.unescape(" ".join(m.value for m in at.markdown)).replace("\\", "")
    assert not any(f'"{q}"' in shown for q in quotes)  # not listed, quoted, above the buttons again


def test_find_in_the_transcript_lists_every_place_the_word_is_said(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    at.session_state["video_tab"] = "Transcript"
    at.run()
    at.text_input(key="transcript_query").input("Ebbinghaus").run()
    assert not at.exception
    said = [b for b in at.button if b.key and b.key.startswith("said-")]
    assert said and all("Ebbinghaus" in html.unescape(b.label) for b in said)
    assert any(c.value.startswith("Said ") for c in at.caption)
    said[0].click().run()
    assert at.session_state["start_s"] > 0  # it plays that moment
    at.text_input(key="transcript_query").input("zyzzyva").run()
    assert not [b for b in at.button if b.key and b.key.startswith("said-")]
    assert any("Not said in this video" in c.value or "Not said in these words" in c.value for c in at.caption)
    assert not any(c.value == "Passages about it:" for c in at.caption)  # never as if the words were said


def open_transcript_tab(at, vtt, snippets):
    """Add a talk from a caption file of these snippets through the app, and open its Transcript tab."""
    from yt_transcript.ingest.export import export_transcript
    from yt_transcript.ingest.models import Transcript, VideoMeta

    vtt.write_text(export_transcript(Transcript(VideoMeta("asr", "ASR talk"), snippets), "vtt"))
    at.run()
    at.text_area(key="sources").input(str(vtt)).run()
    at.button(key="add").click().run()
    video_id = next(iter(at.session_state["_library"][1].storage.records())).meta.video_id
    goto(at, "video", v=video_id)
    at.session_state["video_tab"] = "Transcript"
    at.run()


def test_the_transcript_tab_reads_raw_asr_as_sentences_or_as_written(app, tmp_path):
    from .test_sentences import asr_snippets

    open_transcript_tab(app, tmp_path / "asr-talk.en.vtt", asr_snippets())
    text = html.unescape(" ".join(m.value for m in app.markdown))
    assert not app.exception and "I think this is the most useful habit." in text and " uh " not in text
    app.toggle(key="transcript_sentences").set_value(False).run()
    text = html.unescape(" ".join(m.value for m in app.markdown))
    assert "i think this is the most useful habit and i use it" in text and " uh " in text


def test_switching_transcript_views_keeps_the_place_and_play_still_works(app, tmp_path):
    from .test_sentences import ASR_TEXT, asr_snippets

    # ~25 minutes: two parts or more in either view
    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", asr_snippets(" ".join([ASR_TEXT] * 40)))
    part = app.selectbox(key="transcript_part_sentences")
    assert len(part.options) >= 2
    part.set_value(len(part.options) - 1).run()
    moment = app.session_state["transcript_at"][1]
    assert moment > 0
    app.toggle(key="transcript_sentences").set_value(False).run()
    plays = [b for b in app.button if b.key and b.key.startswith("line-")]
    shown = [re.search(r"(\d+):(\d\d):(\d\d)", b.label).groups() for b in plays]
    seconds = [int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in shown]
    assert not app.exception and seconds[0] <= moment + 0.5 < seconds[-1] + 600  # the part that holds it
    plays[1].click().run()
    assert not app.exception and app.session_state["start_s"] == seconds[1]


def test_a_talk_without_chapters_reads_under_its_detected_chapters(app, tmp_path):
    from .test_sentences import ASR_TEXT, asr_snippets

    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", asr_snippets(" ".join([ASR_TEXT] * 40)))
    library = app.session_state["_library"][1]
    [record] = library.storage.records()
    chapters = library.chapters(record.meta.video_id)
    assert chapters and not record.meta.chapters
    assert any(m.value == f"**{chapters[0].title}**" for m in app.markdown)  # the heading the overview names
    part = app.selectbox(key="transcript_part_sentences")
    assert part.options[0].startswith(f"Part 1 of {len(part.options)}: from 0:00:00, {chapters[0].title}")
    # Each part names every chapter read in it, the one it opens in first.
    assert all(any(c.title in o for o in part.options) for c in chapters)


def test_the_end_of_a_transcript_part_reads_on_to_the_next(app, tmp_path):
    from .test_sentences import ASR_TEXT, asr_snippets

    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", asr_snippets(" ".join([ASR_TEXT] * 40)))
    part = app.selectbox(key="transcript_part_sentences")
    assert part.value == 0 and len(part.options) >= 2
    app.button(key="next_part").click().run()
    part = app.selectbox(key="transcript_part_sentences")
    assert not app.exception and part.value == 1
    part.set_value(len(part.options) - 1).run()
    assert not [b for b in app.button if b.key == "next_part"]  # the last part has nothing after it


def test_not_found_is_said_once(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at, "zyzzyva quasar xylophone")
    said = [m.value for m in at.markdown if "cover this" in m.value] + \
        [c.value for c in at.caption if "answers this directly" in c.value]
    assert len(said) == 1, said


def zeppelin_talk(app, tmp_path) -> float:
    """A ~25-minute ASR talk whose last line alone says "zeppelin", open on its Transcript tab at part 1;
    returns when that line starts."""
    from .test_sentences import ASR_TEXT, asr_snippets

    snippets = asr_snippets(" ".join([ASR_TEXT] * 40))
    last = snippets[-1]
    snippets[-1] = type(last)("and that is where the zeppelin lands on the tower", last.start_s, last.end_s)
    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", snippets)
    assert app.selectbox(key="transcript_part_sentences").value == 0
    return last.start_s


def assert_marked_at_the_end(app, mark: str) -> None:
    """The transcript shows its last part, where "zeppelin" is said, that paragraph bold under `mark`."""
    part = app.selectbox(key="transcript_part_sentences")
    assert not app.exception and part.value == len(part.options) - 1
    bold = [m.value for m in app.markdown if m.value.startswith("**") and "zeppelin" in m.value]
    assert bold and any(c.value == mark for c in app.caption)


def test_a_found_place_plays_and_opens_the_part_of_the_transcript_that_holds_it(app, tmp_path):
    said_at = zeppelin_talk(app, tmp_path)
    app.text_input(key="transcript_query").input("zeppelin").run()
    said = [b for b in app.button if b.key and b.key.startswith("said-")]
    said[0].click().run()
    assert_marked_at_the_end(app, "Found here:")  # the found paragraph stands out
    assert app.session_state["start_s"] == int(said_at)


def test_a_quote_played_from_the_chat_opens_the_transcript_where_it_is_said(app, tmp_path):
    zeppelin_talk(app, tmp_path)
    ask(app, "Where does the zeppelin land?")
    cite = next(b for b in buttons(app, "[S1] Play ") if "zeppelin" in html.unescape(b.label))
    cite.click().run()  # with the Transcript tab open: it follows the player at once
    assert_marked_at_the_end(app, "Playing from here:")


def test_a_quote_played_from_the_chat_opens_the_transcript_tab(app, tmp_path):
    zeppelin_talk(app, tmp_path)
    app.session_state["video_tab"] = "Overview"
    app.run()
    ask(app, "Where does the zeppelin land?")
    cite = next(b for b in buttons(app, "[S1] Play ") if "zeppelin" in html.unescape(b.label))
    cite.click().run()
    assert app.session_state["video_tab"] == "Transcript"
    assert_marked_at_the_end(app, "Playing from here:")


def test_a_deep_link_opens_the_transcript_at_its_moment(app, tmp_path):
    from .test_sentences import ASR_TEXT, asr_snippets

    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", asr_snippets(" ".join([ASR_TEXT] * 40)))
    video_id = app.session_state["video_id"]
    goto(app, "video", v=video_id, t="700")
    assert not app.exception and app.selectbox(key="transcript_part_sentences").value == 1  # 10:00 to 20:00
    assert any(c.value == "Playing from here:" for c in app.caption)  # the paragraph at 11:40 is marked
    goto(app, "video", v=video_id, t="0")  # the same video from its start: nothing is marked
    assert app.selectbox(key="transcript_part_sentences").value == 0
    assert "_marked_at" not in app.session_state and not any(c.value == "Playing from here:" for c in app.caption)


def test_every_place_a_word_is_said_can_be_played_not_just_the_first_ten(app, tmp_path):
    from .test_sentences import ASR_TEXT, asr_snippets

    open_transcript_tab(app, tmp_path / "long-asr-talk.en.vtt", asr_snippets(" ".join([ASR_TEXT] * 20)))
    app.text_input(key="transcript_query").input("Ebbinghaus").run()
    said = [b for b in app.button if b.key and b.key.startswith("said-")]
    assert not app.exception and len(said) == 20 and any(c.value == "Said 20 times:" for c in app.caption)


def test_the_notes_tab_says_how_many_questions_the_notes_hold(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    at.session_state["video_tab"] = "Notes"
    at.run()
    assert any(c.value == "No question has been asked about this video yet." for c in at.caption)
    ask(at)
    at.run()
    assert any(c.value.startswith("They hold the 1 question asked about this video") for c in at.caption)
    [listed] = [e for e in at.expander if e.label == "The questions in the notes"]
    assert any(QUESTION in html.unescape(m.value).replace("\\", "") for m in listed.markdown)


def test_the_notes_tab_keeps_my_own_notes_and_forgets_a_question(app, settings):
    from yt_transcript import Library

    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    at.session_state["video_tab"] = "Notes"
    at.run()
    at.text_area(key=f"own_note_{SAMPLE}").input("Spacing beats cramming: *review on day 1, 3, 7*.")
    at.session_state["video_tab"] = "Overview"  # leaving the box for another tab saves it
    at.run()
    assert not at.exception
    at.session_state["video_tab"] = "Notes"
    at.run()
    assert at.text_area(key=f"own_note_{SAMPLE}").value == "Spacing beats cramming: *review on day 1, 3, 7*."
    [forget] = [b for b in at.button if b.key and b.key.startswith(f"forget-{SAMPLE}-")]
    forget.click().run()
    assert not at.exception and any(c.value == "No question has been asked about this video yet." for c in at.caption)
    with Library.open(settings.home) as lib:
        notes = lib.export(SAMPLE, "obsidian")
        assert "## My notes\n\nSpacing beats cramming: *review on day 1, 3, 7*." in notes  # their Markdown
        assert notes.index("## My notes") < notes.index("## Summary") and QUESTION not in notes
        assert lib.saved_answers(SAMPLE) == []


def test_a_question_misread_as_a_follow_up_can_be_asked_on_its_own(app, settings):
    from yt_transcript import Library

    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    ask(at, "why?")  # nothing of its own: no button, it can only follow on
    assert not [b for b in at.button if b.key and b.key.startswith(f"alone-{SAMPLE}-")]
    ask(at, "how do they review it?")
    assert sum(c.value.startswith("Read with your question before it") for c in at.caption) == 2
    [alone] = [b for b in at.button if b.key and b.key.startswith(f"alone-{SAMPLE}-")]
    alone.click().run()
    assert not at.exception
    assert sum(c.value.startswith("Read with your question before it") for c in at.caption) == 1  # "why?" only
    assert [a.question for a in at.session_state["chats"][SAMPLE]] == [QUESTION, "why?", "how do they review it?"]
    assert at.session_state["chats"][SAMPLE][2].asked_as is None
    with Library.open(settings.home) as lib:  # the notes keep the question as now read, not the joined one
        saved = [a.question for a in lib.saved_answers(SAMPLE)]
        assert saved[0] == QUESTION and f"{QUESTION} how do they review it?" not in saved


def test_on_a_read_only_home_the_notes_box_says_so_before_anything_is_typed(app, settings, fake_embedder,
                                                                            monkeypatch):
    import os
    from pathlib import Path

    from yt_transcript import Library

    with Library(settings, embedder=fake_embedder) as lib:
        assert lib.ingest(str(SAMPLE_VTT))[0].ok
    home, access = Path(settings.home), os.access
    # The home as the app finds one it may not write (root writes anywhere, so a mode proves nothing).
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != home and access(path, mode, **kw))
    at = goto(app, "video", v=SAMPLE)
    at.session_state["video_tab"] = "Notes"
    at.run()
    assert not at.exception and at.text_area(key=f"own_note_{SAMPLE}").disabled
    [error] = [html.unescape(e.value) for e in at.error]
    assert "is read-only" in error and "Listing, search and export still work" in error


def test_a_deep_link_opens_the_video_at_that_moment(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE, t="100")
    assert not at.exception
    assert any(c.value == "Playing from 0:01:40" for c in at.caption)


def test_a_link_to_a_video_not_in_the_library_says_so(app):
    at = ingest_sample(app)
    typo = SAMPLE[:-1] + ("x" if SAMPLE[-1] != "x" else "y")
    goto(at, "video", v=typo)
    assert not at.exception
    [error] = [html.unescape(e.value) for e in at.error]
    assert f"'{typo}' is not in the library" in error and f"Did you mean {SAMPLE}?" in error


def test_a_study_link_to_a_video_not_here_says_so_and_a_moment_past_the_end_plays_the_last_second(app):
    at = ingest_sample(app)
    goto(at, "study", v="nope")
    assert not at.exception and any("'nope' is not in the library" in html.unescape(e.value) for e in at.error)
    goto(at, "video", v=SAMPLE, t="99999")
    length = at.session_state["_library"][1].video(SAMPLE).meta.duration_s
    assert not at.exception and at.session_state["start_s"] == int(length)


def test_chat_is_kept_per_video_and_can_be_cleared(app, settings):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    assert buttons(at, "[S1] Play ")
    goto(at, "search")
    goto(at, "video", v=SAMPLE)
    assert buttons(at, "[S1] Play ")  # still there after a trip to another page
    at.button(key=f"clear-{SAMPLE}").click().run()
    assert not buttons(at, "[S1] Play ")


def test_the_newest_answer_comes_first_and_earlier_ones_below_it(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    assert not any("Earlier questions" in c.value for c in at.caption)  # one answer: nothing earlier
    ask(at, "What is interleaving?")
    cites = [b.key for b in at.button if b.key and b.key.startswith(f"cite-{SAMPLE}-")]
    assert cites[0].startswith(f"cite-{SAMPLE}-1-") and any(k.startswith(f"cite-{SAMPLE}-0-") for k in cites)
    assert any("Earlier questions" in c.value for c in at.caption)


def test_a_follow_up_in_the_chat_is_read_with_the_question_before_it(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at, "Why does spacing beat cramming?")
    ask(at, "and why is that?")
    assert not at.exception
    said = [html.unescape(c.value) for c in at.caption if c.value.startswith("Read with your question before it")]
    assert said == ["Read with your question before it: “Why does spacing beat cramming? and why is that?”"]
    ask(at, "What is interleaving?")  # a question of its own is read alone
    assert len([c for c in at.caption if c.value.startswith("Read with your question before it")]) == 1


def test_an_empty_question_gets_a_hint(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at, "   ")
    assert any("Type a question first" in i.value for i in at.info)


def test_search_groups_results_opens_the_video_and_keeps_the_query(app):
    at = ingest_sample(app)
    goto(at, "search")
    at.text_input(key="search_query").input("spacing and interleaving").run()
    assert not at.exception and at.subheader[0].value.startswith("How to Study")
    assert any(m.value.count("**") == 2 for m in at.markdown)  # the sentence each timestamp plays is in bold
    buttons(at, "Play ")[0].click().run()
    assert at.session_state["video_id"] == SAMPLE and at.session_state["start_s"] >= 0
    at.button(key="back_to_search").click().run()  # back again: the query and its results are still there
    assert at.text_input(key="search_query").value == "spacing and interleaving"
    assert at.subheader and buttons(at, "Play ")


def test_the_study_page_keeps_its_video_in_the_address_for_a_reload(app, settings, fake_embedder):
    from yt_transcript import Library

    with Library(settings, embedder=fake_embedder) as lib:
        assert lib.ingest(str(SAMPLE_VTT), video_id="otherTalk01", title="Another talk")[0].ok
    at = ingest_sample(app)  # the sample is the newest, so a study page without a video opens it
    at.session_state["study_video_id"] = "otherTalk01"
    goto(at, "study")
    assert not at.exception and at.query_params["v"] == "otherTalk01"
    again = AppTest.from_file(APP, default_timeout=60)  # a reload: a new session with only the address
    again.session_state["embedder_override"] = fake_embedder
    goto(again, "study", v="otherTalk01")
    assert not again.exception and again.selectbox(key="study_video").value == "otherTalk01"


def test_study_quiz_one_card_at_a_time_graded_and_scored(app, fake_embedder):
    from yt_transcript.rag.study import quiz_order

    from yt_transcript import Library

    at = ingest_sample(app)
    goto(at, "study")
    assert not at.exception
    state = at.session_state["quizzes"][SAMPLE]
    with Library.open(at.session_state["_library"][1].settings.home, embedder=fake_embedder) as lib:  # the app's model
        first = quiz_order(lib.study_cards(SAMPLE), state["seed"])[0]
    assert any(first.question[:10] in m.value.replace("&#95;", "_") for m in at.markdown)
    form = f"{SAMPLE}-{state['seed']}-0"
    at.text_input(key=f"quiz-answer-{form}").input(first.answer.upper())  # case is forgiven
    at.button(key=f"FormSubmitter:quiz-form-{form}-Check my answer (Enter)").click().run()
    assert any(s.value.startswith("Right") for s in at.success)
    assert "score 1 of 1" in at.get("progress")[0].proto.text
    at.button(key="quiz-next").click().run()
    assert "Card 2 of" in at.get("progress")[0].proto.text
    total = int(re.search(r"Card 2 of (\d+)", at.get("progress")[0].proto.text).group(1))
    for _ in range(total - 1):  # the rest passed over
        at.button(key="quiz-next").click().run()
    assert any(s.value == f"Done: 1 of 1 right; {total - 1} of {total} not answered (skipped or shown first)."
               for s in at.success)
    at.button(key="quiz-retry").click().run()  # only the cards not known: every one but the first
    assert not at.exception and f"Card 1 of {total - 1}" in at.get("progress")[0].proto.text
    retried = at.session_state["quizzes"][SAMPLE]
    assert (first.start_s, first.question) not in retried["only"] and len(retried["only"]) == total - 1


def test_a_shown_answer_counts_as_not_known_and_cannot_be_typed_for_a_point(app):
    at = ingest_sample(app)
    goto(at, "study")
    state = at.session_state["quizzes"][SAMPLE]
    form = f"{SAMPLE}-{state['seed']}-0"
    at.button(key="quiz-show").click().run()
    assert "score 0 of 1" in at.get("progress")[0].proto.text
    assert at.text_input(key=f"quiz-answer-{form}").disabled
    assert at.button(key=f"FormSubmitter:quiz-form-{form}-Check my answer (Enter)").disabled
    assert any("counts as not known" in c.value for c in at.caption)
    at.button(key="quiz-next").click().run()
    assert "Card 2 of" in at.get("progress")[0].proto.text and "score 0 of 1" in at.get("progress")[0].proto.text


def test_untrusted_text_is_rendered_inert(app, tmp_path):
    evil = tmp_path / "evil.vtt"
    evil.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n"
                    "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
                    "see http://example.com and ![x](http://127.0.0.1:9/t.png) text\n")
    at = app
    at.run()
    at.text_area(key="sources").input(str(evil))
    at.button(key="add").click().run()
    goto(at, "video", v="evil")
    at.tabs[0]  # the overview is drawn
    rendered = "\n".join([m.value for m in at.markdown] + [b.label for b in at.button] + [e.label for e in at.expander])
    assert "alert" in rendered  # the words are shown...
    assert not re.search(r"[<>\[\]()!]", rendered.replace("**", ""))  # ...but no markup, link or image can form
    assert "http://" not in rendered and "\\" not in rendered  # a URL is text: no autolink, no stray backslash


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold** # h1",
                                  "<script>alert(1)</script>", "www.example.com http://x.y :red[x] $x$"])
def test_safe_turns_every_special_character_into_a_reference(text):
    from yt_transcript.ui.app import safe
    from yt_transcript.ui.common import JOINER

    escaped = safe(text)
    assert html.unescape(escaped).replace(JOINER, "") == text  # shows exactly the text...
    assert not re.search(r"[<>\[\]()*#:.$_\\]", re.sub(r"&#\d+;", "", escaped))  # ...with nothing left to act on


@pytest.mark.parametrize("quote", ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold** # h1",
                                   "- nested", "www.example.com"])
def test_offline_answers_are_a_list_of_inert_quotes(quote):
    """The quotes become list items (our structure); what each item says stays inert."""
    from yt_transcript.ui.common import JOINER, safe_with_bullets

    text = f"Quotes from the video, best first:\n- 0:01:02 \"{quote}\" [S1]\n- 0:02:03 \"two\" [S2]\nAfter."
    lines = safe_with_bullets(text).split("\n")
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == 2 and lines[-2] == ""  # a blank line ends the list, so "After." is its own paragraph
    assert html.unescape(items[0][2:]).replace(JOINER, "") == f'0:01:02 "{quote}" [S1]'
    assert not re.search(r"[<>\[\]()*#:.$_\\-]", re.sub(r"&#\d+;", "", items[0][2:]))


def test_study_page_offers_the_anki_deck_the_cli_writes(app, settings, fake_embedder, monkeypatch, tmp_path):
    """The download holds the same deck as `study --anki`: one note per card shown, the same note guids."""
    import io
    import sqlite3
    import zipfile

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served = {}  # what the app hands Streamlit to serve, by the file name the browser saves it as
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        served[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = ingest_sample(app)
    goto(at, "study")
    at.get("button_group")[0].set_value("All cards").run()
    assert not at.exception
    assert at.get("download_button")[0].label == "Download as an Anki deck (.apkg)"
    with zipfile.ZipFile(io.BytesIO(served["yttSample01.apkg"])) as apkg:
        (tmp_path / "collection.anki2").write_bytes(apkg.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    guids = [row[0] for row in db.execute("SELECT guid FROM notes ORDER BY id")]
    db.close()
    assert len(guids) == len(at.main.expander)  # one note per card on the page

    from yt_transcript import Library

    # The home the app was given, with the app's model: cards weigh their terms with the model that embedded the
    # video, and only a library with that model makes the same ones.
    with Library.open(settings.home, embedder=fake_embedder) as lib:
        assert lib.anki_deck("yttSample01", tmp_path / "cli.apkg").guids == guids


def test_a_question_on_the_video_page_is_kept_for_the_notes(app, settings):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    ask(at)
    assert not at.exception

    from yt_transcript import Library

    with Library.open(settings.home) as lib:
        assert [a.question for a in lib.saved_answers("yttSample01")] == [QUESTION]
        assert "### Who measured forgetting with nonsense syllables?" in lib.export("yttSample01", "obsidian")


def test_an_unreachable_model_is_named_once_and_the_offline_overview_shown(app, monkeypatch):
    monkeypatch.setenv("YT_TRANSCRIPT_LLM_RETRIES", "0")
    at = ingest_sample(app)
    at.text_input(key="model").input("openai:nothing-here")
    at.text_input(key="base_url").input("http://127.0.0.1:9/v1")  # nothing listens on the discard port
    goto(at, "video", v=SAMPLE)
    assert not at.exception and not at.error
    assert len(at.warning) == 1 and "could not be reached" in at.warning[0].value
    assert "--base-url" not in at.warning[0].value
    assert any("Why lectures slip away" in e.label for e in at.expander)  # the offline overview is there


def test_watching_a_cards_moment_offers_the_way_back_to_the_quiz(app):
    at = ingest_sample(app)
    goto(at, "study")
    card_index = at.session_state["quizzes"][SAMPLE]["index"]
    at.button(key="quiz-watch").click().run()
    assert not at.exception and at.session_state["start_s"] > 0
    # a moment to read around: the Transcript tab, its paragraph marked
    assert at.session_state["video_tab"] == "Transcript" and any(c.value == "Playing from here:" for c in at.caption)
    at.button(key="back_to_study").click().run()
    assert not at.exception and at.session_state["quizzes"][SAMPLE]["index"] == card_index
    assert at.button(key="quiz-next")  # the quiz again, at the same card
    assert not [b for b in at.button if b.key == "back_to_study"]
    at.segmented_control(key="study_mode").set_value("All cards").run()
    at.button(key="card-0").click().run()
    at.button(key="back_to_study").click().run()
    assert not at.exception and at.segmented_control(key="study_mode").value == "All cards"  # the mode left


def test_a_pasted_page_of_a_question_is_echoed_in_its_first_words(app):
    at = ingest_sample(app)
    goto(at, "video", v=SAMPLE)
    long_question = "Why is spacing better than cramming? " + "And also this. " * 400
    ask(at, long_question)
    echoed = [m.value for m in at.markdown if m.value.startswith("**You:**")]
    assert echoed and all(len(e) < 400 for e in echoed)


@pytest.mark.parametrize("question, shown", [
    ("The _____ is short.", "The _____ is short."),
    ("Here it kind of actually answered the question and started to go off into some philosophical _____.",
     "…answered the question and started to go off into some philosophical _____."),
    ("A _____ opens this question, which then goes on for a long while about many other things that follow.",
     "A _____ opens this question, which then goes on for a long while about many…"),
])
def test_a_card_line_always_shows_its_blank(question, shown):
    from yt_transcript.ui.common import card_line

    assert card_line(question) == shown


@pytest.mark.parametrize("chapter, answer, heading", [
    ("Antisocial and Frontal Lobe", "frontal lobe", "They had 11% less _____ tissue."),  # the title holds it
    ("Brain Scans", "frontal lobe", "Brain Scans: They had 11% less _____ tissue."),
])
def test_a_listed_cards_heading_never_gives_its_answer_away(chapter, answer, heading):
    from yt_transcript.ingest.models import Card
    from yt_transcript.ui.common import card_heading, label

    assert card_heading(Card(chapter, "They had 11% less _____ tissue.", answer, 511.0, "cloze")) == label(heading)


@given(st.lists(st.sampled_from(["a", "word", "longerword", "philosophical", "x" * 30]), min_size=1, max_size=60),
       st.data())
def test_card_lines_keep_the_blank_and_stay_short(words, data):
    from yt_transcript.ui.common import card_line

    at = data.draw(st.integers(0, len(words)))
    question = " ".join(words[:at] + ["_____"] + words[at:])
    line = card_line(question)
    assert "_____" in line and len(line) <= 81


@pytest.mark.parametrize("moment, part", [
    (611.0, 0),  # found at 0:10:11, said in the paragraph from 0:09:35: read in the first part
    (622.0, 1),  # the next part's first paragraph
    (0.0, 0),
    (5000.0, 1),  # past the end: the last paragraph's part
])
def test_a_moment_is_read_in_the_part_whose_paragraph_holds_it(moment, part):
    from yt_transcript.ingest.models import Snippet
    from yt_transcript.ui.page_video import _part_holding, _parts

    paragraphs = [(None, [Snippet("a", s, s + 20)]) for s in (0.0, 300.0, 575.0, 622.0, 900.0)]
    assert _part_holding(_parts(paragraphs), paragraphs, moment) == part


def test_a_long_library_can_be_filtered_by_title_or_channel(app, settings, fake_embedder, tmp_path):
    from yt_transcript import Library

    topics = ["memory", "sleep", "emotion", "language", "motivation", "memory palace", "perception", "addiction"]
    with Library.open(settings.home, embedder=fake_embedder) as lib:
        for n, topic in enumerate(topics):
            path = tmp_path / f"talk{n}.vtt"
            path.write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nA short talk about {topic}.\n")
            assert lib.ingest(str(path), video_id=f"talkNumber{n}", title=f"On {topic}", channel="Psych")[0].ok
    app.run()
    app.text_input(key="library_filter").input("MEMORY").run()
    assert not app.exception and any(c.value.startswith("2 of 8 videos.") for c in app.caption)
    app.text_input(key="library_filter").input("memory palace").run()
    assert any(c.value.startswith("1 of 8 videos.") for c in app.caption)
    assert app.selectbox(key="library_video").options == ["On memory palace"]  # the video to open is among them
    app.text_input(key="library_filter").input("zeppelin").run()
    assert any(c.value == "No title or channel holds all of those words." for c in app.caption)
    app.text_input(key="library_filter").input("psych").run()  # the channel
    assert any(c.value.startswith("8 videos.") for c in app.caption)
    app.text_input(key="library_filter").input("sleep").run()
    goto(app, "video", v="talkNumber1")
    goto(app, "library")  # back from a video: the filter as it was left
    assert not app.exception and app.text_input(key="library_filter").value == "sleep"


def test_removing_the_open_video_opens_another_without_an_error(app, tmp_path):
    at = ingest_sample(app)
    other = tmp_path / "other.vtt"
    other.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nA short talk about sleep.\n")
    at.text_area(key="sources").input(str(other))
    at.button(key="add").click().run()
    goto(at, "video", v=SAMPLE)
    assert at.session_state["video_id"] == SAMPLE
    goto(at, "library")
    at.session_state["library_video"] = SAMPLE
    at.run()
    at.checkbox(key=f"sure-{SAMPLE}").check().run()
    at.button(key="remove").click().run()
    goto(at, "video")
    assert not at.exception and not at.error and at.session_state["video_id"] != SAMPLE

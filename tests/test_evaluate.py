import json

import pytest

from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.ingest.youtube import YouTubeClient
from yt_transcript.rag.evaluate import Question, QuestionFileError, evaluate_retrieval, is_hit, load_questions

from .conftest import REPO


@pytest.mark.parametrize(
    "video, start, hit",
    [("v", 100.0, True), ("v", 85.0, True), ("v", 84.9, False), ("v", 120.0, True), ("v", 120.1, False),
     ("w", 100.0, False), ("v", 300.0, True)],
)
def test_is_hit_allows_15_seconds_before(video, start, hit):
    assert is_hit(Question("q", "?", "v", [(100.0, 120.0), (290.0, 310.0)]), video, start) is hit


def test_load_questions_ignores_unknown_fields(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": 1, "question": "why?", "video_id": "v", "gold": [[1, 2]], "note": "x"}\n\n')
    assert load_questions(path) == [Question("1", "why?", "v", [(1.0, 2.0)])]


@pytest.mark.parametrize("content, message", [
    ('{"id": "a", "question": "q", "gold": [[1, 2]]}', "line 1: KeyError"),
    ('{"id": "a", "question": "q", "video_id": "v", "gold": [[1]]}\n', "line 1"),
    ('{"id": "a"', "line 1: JSONDecodeError"),
    ("", "no questions"),
])
def test_bad_question_files(tmp_path, content, message):
    path = tmp_path / "q.jsonl"
    path.write_text(content)
    with pytest.raises(QuestionFileError, match=message):
        load_questions(path)


@pytest.mark.parametrize("name, at_least", [("retrieval_dev.jsonl", 60), ("retrieval_holdout.jsonl", 20)])
def test_question_sets_are_well_formed(name, at_least):
    questions = load_questions(REPO / "tests" / "data" / name)
    assert len(questions) >= at_least
    assert len({q.id for q in questions}) == len(questions)
    assert all(a < b for q in questions for a, b in q.gold)
    assert "7xTGNNLPyMI" not in {q.video_id for q in questions}  # the Deep Dive lecture stays held out


def test_holdout_questions_are_not_dev_questions():
    dev, holdout = (load_questions(REPO / "tests" / "data" / name)
                    for name in ("retrieval_dev.jsonl", "retrieval_holdout.jsonl"))
    assert not {q.id for q in dev} & {q.id for q in holdout}
    assert not {q.question for q in dev} & {q.question for q in holdout}


def test_evaluate_counts_hits_and_misses(settings, library, fake_embedder):
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, YouTubeClient(retries=0))
    for vid, lines in {"aaaaaaaaaaa": ["boil pasta in salted water", "serve with basil"],
                       "bbbbbbbbbbb": ["gradient descent lowers loss", "learning rate matters"]}.items():
        snippets = [Snippet(t, i * 60.0, i * 60.0 + 60) for i, t in enumerate(lines)]
        ingestor.index(Transcript(VideoMeta(vid, vid), snippets))
    questions = [
        Question("q1", "gradient descent lowers loss", "bbbbbbbbbbb", [(0, 30)]),
        Question("q2", "boil pasta salted water", "aaaaaaaaaaa", [(500, 600)]),  # gold nowhere near: a miss
    ]
    report = evaluate_retrieval(library.storage, fake_embedder, questions)
    assert report["n"] == 2 and report["hit@1"] == 0.5 and report["hit@5"] == 0.5 and report["mrr@10"] == 0.5
    assert [m["id"] for m in report["misses"]] == ["q2"]
    only_a = evaluate_retrieval(library.storage, fake_embedder, questions, video_id="aaaaaaaaaaa")
    assert only_a["n"] == 1
    json.dumps(report)  # the --json output is plain JSON


def _manifest(tmp_path):
    """Two synthetic talks with known chapters, in the shape of ../shared/data/corpus.json."""
    from .test_chapters import TOPICS

    rows = []
    for n in range(2):
        items = []
        for t, topic in enumerate(TOPICS[n:n + 3]):
            words = topic.split()
            for k in range(30):
                items.append({"text": " ".join(words[(k + j) % 8] for j in range(6)) + ".", "start": t * 180 + k * 6,
                              "duration": 6})
        (tmp_path / f"v{n}.json").write_text(json.dumps(items))
        (tmp_path / f"v{n}.chapters.json").write_text(json.dumps([{"start": t * 180, "title": f"T{t}"}
                                                                  for t in range(3)]))
        rows.append({"video_id": f"vid{n:08d}", "duration_s": 540, "transcript": f"v{n}.json",
                     "chapters": f"v{n}.chapters.json"})
    rows.append({"video_id": "nochapter1", "transcript": "v0.json"})  # skipped: nothing to score against
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(rows))
    return path


def test_evaluate_chapters_scores_ours_and_both_baselines(tmp_path, fake_embedder, settings):
    from yt_transcript.rag.evaluate import evaluate_chapters

    report = evaluate_chapters(_manifest(tmp_path), fake_embedder, settings.ingest)
    assert report["n"] == 2 and report["n_long"] == 0
    assert set(report["mean"]) == {"ours", "even (true count)", "texttiling (true count)"}
    assert set(report["mean"]["ours"]) == {"p@30", "r@30", "f1@30", "p@60", "r@60", "f1@60"}
    assert report["mean"]["even (true count)"]["f1@30"] == 1.0  # equal thirds here
    assert report["mean"]["ours"]["f1@60"] == 1.0

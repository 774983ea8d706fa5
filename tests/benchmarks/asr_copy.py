"""What YouTube's ASR formatting costs: the dev videos re-written as lower-case, unpunctuated 7-word lines.

Run: python tests/benchmarks/asr_copy.py DEV_HOME ASR_HOME   (DEV_HOME: the library eval_retrieval.py builds)
Builds ASR_HOME once (same words and times as DEV_HOME's cleaned transcripts; case, punctuation and sentence
boundaries gone, lines cut every 7 words as YouTube's auto-captions are), then prints hit@1 / hit@5 / MRR@10
of the default search on both libraries, strict and on ~2-minute passages. The private set's lecture has
this formatting, so the difference is the part of the gap to it that formatting alone explains.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.peers import passages, widen  # noqa: E402

LINE_WORDS = 7


def asr_lines(snippets):
    """The same words at the same (interpolated) times, lower-case and unpunctuated, 7 to a line."""
    from yt_transcript.ingest.models import Snippet

    words = []
    for s in snippets:
        ws = re.sub(r"[^\w\s']", " ", s.text.lower()).split()
        words += [(w, s.start_s + (s.end_s - s.start_s) * i / max(1, len(ws))) for i, w in enumerate(ws)]
    lines = []
    for i in range(0, len(words), LINE_WORDS):
        group = words[i:i + LINE_WORDS]
        end = words[i + LINE_WORDS][1] if i + LINE_WORDS < len(words) else snippets[-1].end_s
        lines.append(Snippet(" ".join(w for w, _ in group), round(group[0][1], 3), round(max(end, group[0][1]), 3)))
    return lines


def main() -> None:
    from yt_transcript import Library, Settings, Transcript
    from yt_transcript.ingest.embedding import SentenceTransformerEmbedder
    from yt_transcript.ingest.pipeline import Ingestor
    from yt_transcript.rag.evaluate import evaluate_retrieval, load_questions

    settings = Settings(home=Path(sys.argv[2]))
    embedder = SentenceTransformerEmbedder(settings.embed_model)
    source = Library(Settings(home=Path(sys.argv[1])), embedder=embedder)
    copy = Library(settings, embedder=embedder)
    questions = load_questions(REPO / "tests" / "data" / "retrieval_dev.jsonl")
    videos = sorted({q.video_id for q in questions})
    if not copy.videos():
        # Rewritten transcripts, not sources: they go straight to the pipeline's index step.
        ingestor = Ingestor(settings, copy.storage, lambda: embedder)
        for video_id in videos:
            transcript = source.transcript(video_id)
            ingestor.index(Transcript(transcript.meta, asr_lines(transcript.snippets)))
    spans = {v: passages(source.transcript(v).snippets) for v in videos}
    wide = [widen(q, spans[q.video_id]) for q in questions]
    print(f"{len(questions)} questions; hit@1 / hit@5 / MRR@10, strict then on ~2-minute passages")
    for name, library in (("as captioned", source), ("ASR-formatted copy", copy)):
        for scope, each in (("library", False), ("video", True)):
            cells = [evaluate_retrieval(library.storage, embedder, qs, each_video=each) for qs in (questions, wide)]
            print(f"{name:20s} {scope:8s} " + "   ".join(f"{c['hit@1']:.3f} / {c['hit@5']:.3f} / {c['mrr@10']:.3f}"
                                                      for c in cells), flush=True)


if __name__ == "__main__":
    main()

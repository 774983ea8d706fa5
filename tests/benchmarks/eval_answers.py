"""Answer quality and speed: citation precision, extractive coverage, time to first token.

Run: python tests/benchmarks/eval_answers.py HOME [--server-limit N]
HOME: a library of the shared transcripts (eval_retrieval.py builds one). Uses tests/data/retrieval_dev.jsonl.
- Extractive default (no model): coverage = share of questions with at least one quote inside a gold window
  (15 s slack, as for retrieval); citation precision = share of quotes inside a gold window.
- A real local model (llama.cpp server with SmolLM2-135M, started here): citation precision, share of answers
  grounded, time to first token and total time, over the first N questions (default 15).
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def score(answers, questions) -> dict:
    from yt_transcript.rag.evaluate import is_hit

    cited = [(q, c) for q, a in zip(questions, answers) for c in a.citations]
    precise = sum(is_hit(q, c.video_id, c.start_s) for q, c in cited)
    covered = sum(any(is_hit(q, c.video_id, c.start_s) for c in a.citations) for q, a in zip(questions, answers))
    return {"n": len(answers), "citations": len(cited),
            "citation_precision": round(precise / len(cited), 3) if cited else 0.0,
            "coverage": round(covered / len(answers), 3) if answers else 0.0,
            "grounded": round(sum(a.grounded for a in answers) / len(answers), 3) if answers else 0.0,
            "not_found": sum(a.kind == "not_found" for a in answers)}


def main() -> None:
    from yt_transcript import Library
    from yt_transcript.rag.evaluate import load_questions

    home = Path(sys.argv[1])
    limit = int(sys.argv[sys.argv.index("--server-limit") + 1]) if "--server-limit" in sys.argv else 15
    # Queries are embedded by the home's query model (its ONNX export when there is one); each question
    # retrieves YT_TRANSCRIPT_ASK_PASSAGES passages.
    library = Library.open(home)
    questions = load_questions(REPO / "tests" / "data" / "retrieval_dev.jsonl")

    offline = [library.ask(q.question) for q in questions]
    print("extractive default:", score(offline, questions))

    from tests.test_llm_server import start_server

    proc, url = start_server(Path(tempfile.mkdtemp()))
    try:
        served = library.with_settings(model="openai:smollm2", base_url=url)  # same storage and query model
        subset = questions[:limit]
        answers = [served.ask(q.question) for q in subset]
        print("SmolLM2-135M via llama.cpp server:", score(answers, subset))
        firsts = [a.first_token_s for a in answers if a.first_token_s is not None]
        totals = [a.total_s for a in answers if a.kind == "generated"]
        if firsts:
            print(f"time to first token: p50 {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s; "
                  f"total: p50 {statistics.median(totals):.2f} s, max {max(totals):.2f} s")
    finally:
        proc.kill()


if __name__ == "__main__":
    main()

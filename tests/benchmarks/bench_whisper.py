"""Local transcription benchmark: known speech in, word error rate, start times and real-time factor out.

Run: python tests/benchmarks/bench_whisper.py  (needs espeak-ng, the whisper extra and ../shared/data)

1. Known speech. 24 sentences taken from the shared Crash Course transcripts (each is checked to be there) are
   spoken by espeak-ng in three voices at two speeds, trimmed to their first and last sound, and joined with
   known silences (0.7-2.5 s) into one WAV file of about 2.5 minutes, so each sentence's true start is known to
   the sample. The bundled tiny.en model transcribes it through the same WhisperTranscriber the ingest uses.
   Printed: the word error rate (our own word-level edit distance, after lower-casing, dropping punctuation and
   spelling out digits), each sentence's start-time error (where the model puts the first word it aligned to
   the sentence, and where the snippet holding that word starts), and the real-time factor.
   Goals: median |start error| <= 0.5 s, none over 2 s.
2. End to end. The file is ingested into a fresh library with the real embedding model, and five of its
   sentences are searched for in other words; each top hit must start within 2 s of the sentence.

Exits 1 when a goal is missed.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import SHARED  # noqa: E402
from tests.speech import ESPEAK, build_clip, whisper_extra_installed  # noqa: E402

CRASH = SHARED / "transcripts" / "crash-course-psychology"

# (video id, sentence), in the order they are spoken; three from each of eight episodes, mixed.
SENTENCES = [
    ("bSycdIx-C48", "Clive Wearing was playing the piano alone in his room."),
    ("HVWbrNls-Kw", "Our memories are not like books in the library of your mind."),
    ("rMHus-0wFSo", "Sleep is not some break time when your brain, or your body, just goes dormant."),
    ("unWnZvXJH2o", "He can’t recognize his own face in the mirror."),
    ("qG2SwE_6uVM", "And while researching those dogs, he noticed how the animals would salivate at a mere whiff of "
                    "their dinner."),
    ("s9shPouRWCs", "Baby Kanzi was recently adopted and adjusting to life in his new home."),
    ("9hdSLiHaJz8", "For the next five days, Ralston tried to move and chip away at the rock."),
    ("8nz2dtv--ok", "Even though you can't see me, you know that I am here talking to you."),
    ("bSycdIx-C48", "This may be the most profound case of extreme and chronic amnesia ever recorded."),
    ("HVWbrNls-Kw", "This just means that our states and our emotions can also serve as retrieval cues."),
    ("rMHus-0wFSo", "Mike now sleeps in zipped-up mummy bags for his own safety."),
    ("unWnZvXJH2o", "Prosopagnosia is a good example of how sensing and perceiving are connected, but different."),
    ("qG2SwE_6uVM", "He didn't study human stomachs, though, because the procedures were terrible and cruel."),
    ("s9shPouRWCs", "It was a really big deal, because Kanzi is a bonobo."),
    ("9hdSLiHaJz8", "Psychologists often view motivation in one of four ways."),
    ("8nz2dtv--ok", "After graduation, he headed to France to work on a method for testing children's aptitudes and "
                    "abilities."),
    ("bSycdIx-C48", "Our memories are typically accessed in three different ways — through recall, recognition, and "
                    "relearning."),
    ("HVWbrNls-Kw", "She was exhausted after a long and terrible day, and just wanted to get home to a hot bath."),
    ("rMHus-0wFSo", "But with nightfall comes the release of sleepy melatonin hormones from the pineal gland."),
    ("unWnZvXJH2o", "I probably can’t even smell half of what you can smell."),
    ("qG2SwE_6uVM", "First, before conditioning, the dog just drools when it smells food."),
    ("s9shPouRWCs", "Phonemes go together to make morphemes, which are the smallest units that carry meaning."),
    ("9hdSLiHaJz8", "Today we define instincts as complex, unlearned behaviors that have a fixed pattern throughout a "
                    "species."),
    ("8nz2dtv--ok", "Piaget proposed that we adapt to new experiences through two processes that are closely related "
                    "- assimilation and accommodation."),
]
VOICES = ["en-us", "en-gb", "en-us+f3"]
SPEEDS = [150, 185]
GAPS = [0.7, 1.6, 1.1, 2.5, 0.9, 1.9, 1.3]  # seconds of silence between sentences, cycled

# Five sentences asked for in other words: (index into SENTENCES, query).
PARAPHRASES = [
    (8, "the worst documented example of long-lasting memory loss"),
    (18, "which gland releases the hormone that makes us drowsy when it gets dark"),
    (3, "he is unable to identify his own reflection"),
    (21, "the smallest pieces of language that have a meaning"),
    (15, "after finishing his studies he moved to France to design tests of what kids can do"),
]

_DIGITS = "zero one two three four five six seven eight nine ten".split()


def normalise(text: str) -> list[str]:
    """Lower case, curly quotes straightened, punctuation and dashes dropped, digits 0-10 spelled out."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-—–]", " ", text)
    text = re.sub(r"[^\w' ]+", " ", text)
    words = []
    for word in text.split():
        word = word.strip("'")
        if word.isdigit() and int(word) <= 10:
            word = _DIGITS[int(word)]
        if word:
            words.append(word)
    return words


def align(ref: list[str], hyp: list[str]) -> tuple[int, int, int, dict[int, int]]:
    """Word-level edit distance: (substitutions, deletions, insertions, ref index -> hyp index for matches and
    substitutions)."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]), cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    subs = dels = ins = 0
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            subs += ref[i - 1] != hyp[j - 1]
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            dels, i = dels + 1, i - 1
        else:
            ins, j = ins + 1, j - 1
    return subs, dels, ins, pairs


def check_sources() -> None:
    for video_id, sentence in SENTENCES:
        rows = json.loads((CRASH / f"{video_id}.json").read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", " ".join(r["text"] for r in rows))
        if sentence not in text:
            sys.exit(f"not in the shared transcript {video_id}: {sentence!r}")


def main() -> int:
    missing = [what for what, ok in [("espeak-ng (apt-get install espeak-ng)", ESPEAK),
                                     ('the whisper extra (pip install -e ".[whisper]")', whisper_extra_installed()),
                                     (f"the shared transcripts ({CRASH})", CRASH.is_dir())] if not ok]
    if missing:
        sys.exit("needs " + ", ".join(missing))
    check_sources()
    from yt_transcript import Library
    from yt_transcript.ingest.transcribe import WhisperTranscriber

    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-whisper-") as folder:
        folder = Path(folder)
        lines = [(s, VOICES[i % len(VOICES)], SPEEDS[(i // len(VOICES)) % len(SPEEDS)])
                 for i, (_, s) in enumerate(SENTENCES)]
        clip = build_clip(folder / "known-speech.wav", lines, GAPS)
        print(f"clip: {len(clip.sentences)} sentences, {clip.duration_s / 60:.2f} min, voices {', '.join(VOICES)}, "
              f"speeds {SPEEDS} wpm, silences {min(GAPS)}-{max(GAPS)} s")

        # --- 1. known speech ---------------------------------------------------------------------------------
        transcriber = WhisperTranscriber(cache_dir=None)  # no cache: always a real transcription
        started = time.perf_counter()
        transcriber.load()
        load_s = time.perf_counter() - started
        result = transcriber.transcribe_file(clip.path)
        print(f"model {result.model}: load {load_s:.2f} s; transcription {result.seconds:.1f} s for "
              f"{result.duration_s:.1f} s of audio: real-time factor {result.real_time_factor:.3f} "
              f"({1 / result.real_time_factor:.1f}x faster than real time) on {transcriber.threads} threads, int8")

        ref: list[str] = []
        owner: list[int] = []  # ref word -> sentence
        for k, spoken in enumerate(clip.sentences):
            words = normalise(spoken.text)
            ref += words
            owner += [k] * len(words)
        hyp: list[str] = []
        hyp_start: list[float] = []
        for word in result.words:
            for token in normalise(word.text):
                hyp.append(token)
                hyp_start.append(word.start_s)
        subs, dels, ins, pairs = align(ref, hyp)
        wer = (subs + dels + ins) / len(ref)
        print(f"WER {wer:.3f}  ({subs} substitutions, {dels} deletions, {ins} insertions, {len(ref)} words)")

        snippet_starts = [s.start_s for s in result.snippets]
        word_errors, snippet_errors = [], []
        print(f"\n{'#':>2} {'voice':<9} {'wpm':>3} {'true':>7} {'word':>7} {'err':>6} {'snippet':>7} {'err':>6}  sentence")
        for k, spoken in enumerate(clip.sentences):
            aligned = [pairs[i] for i in range(len(ref)) if owner[i] == k and i in pairs]
            if not aligned:
                print(f"{k:>2} sentence not recognised at all: {spoken.text}")
                word_errors.append(float("inf"))
                snippet_errors.append(float("inf"))
                continue
            at = hyp_start[aligned[0]]
            snippet = max((s for s in snippet_starts if s <= at + 1e-6), default=snippet_starts[0])
            word_errors.append(at - spoken.start_s)
            snippet_errors.append(snippet - spoken.start_s)
            print(f"{k:>2} {spoken.voice:<9} {spoken.speed:>3} {spoken.start_s:7.2f} {at:7.2f} {at - spoken.start_s:+6.2f} "
                  f"{snippet:7.2f} {snippet - spoken.start_s:+6.2f}  {spoken.text[:60]}")
        for name, errs in (("first word", word_errors), ("its snippet", snippet_errors)):
            absolute = [abs(e) for e in errs]
            med, worst = statistics.median(absolute), max(absolute)
            ok = med <= 0.5 and worst <= 2.0
            failed |= not ok
            print(f"start error ({name}): median |error| {med:.2f} s, max {worst:.2f} s, mean {statistics.mean(errs):+.2f} s"
                  f"  -> {'meets' if ok else 'MISSES'} the goal (median <= 0.5 s, max <= 2 s)")
        print(f"snippets: {len(result.snippets)} for {len(clip.sentences)} sentences")

        # --- 2. end to end -----------------------------------------------------------------------------------
        print("\nend to end: ingest into a fresh library (real embedding model), then search in other words")
        with Library.open(folder / "home") as library:
            [outcome] = library.ingest(str(clip.path))
            line = outcome.results[0]
            if not line.ok:
                print(f"FAIL  ingest: {line.detail}")
                return 1
            print(f"ok    {line.video_id}: {line.chunks} chunks in {line.seconds:.1f} s  ({line.detail})")
            for index, query in PARAPHRASES:
                truth = clip.sentences[index]
                hit = library.search(query, k=1)[0]
                off = hit.start_s - truth.start_s
                ok = abs(off) <= 2.0
                failed |= not ok
                print(f"  {'ok  ' if ok else 'MISS'} {off:+6.2f} s  {query!r}\n"
                      f"        hit at {hit.start_s:6.2f} s: {hit.from_match[:70]!r}\n"
                      f"        true {truth.start_s:6.2f} s: {truth.text[:70]!r}")
    print("\nall goals met" if not failed else "\nsome goals missed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

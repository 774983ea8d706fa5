"""Whether fine-tuning MiniLM (LoRA) reads sentence ends in ASR-like text better than rag/breaks.py's linear reader.

Run: python tests/benchmarks/break_finetune.py [LAYERS RANK EPOCHS]   (default 6 16 6; fill the cache first:
tests/benchmarks/overview_data.py; about 7 minutes on two cores)
Same data and halves as break_reader.py: the punctuated dev captions rewritten as YouTube's ASR, each word
labelled by whether the original sentence ends on it. For each half, MiniLM's first LAYERS layers get rank-RANK
adapters on every linear map, and a linear head reads a word's last piece beside the next word's first; trained
on the other half, then scored on this one (average precision, precision at recall 0.1-0.7). The per-word
log-odds are written to /tmp/break_finetune_odds.npz: `readability.py --odds /tmp/break_finetune_odds.npz`.

History (2026-12-01, not kept; the linear reader shipped is AP 0.491 / 0.541, P@R0.1 0.679 / 0.714):
- 4 layers, rank 8, 3 epochs (222k weights): AP 0.520 / 0.561, P@R0.1 0.676 / 0.718.
- 6 layers, rank 16, 6 epochs (this script's default): AP 0.587 / 0.612, P@R0.1 0.753 / 0.775, P@R0.5 0.615 /
  0.646 (a first scratch run, shuffled differently: 0.580 / 0.618).
- Those odds in place of the linear reader's in readability.py (ASR copies, chapter extracts mid-clause / ends
  mid-sentence, then the TL;DR's), from 31.9% / 50.6% and 21.2% / 38.7%: 27.4% / 44.9% and 37.3% / 35.1%. The
  scratch run's odds: as trained 29.5% / 44.1% and 25.0% / 43.9%; x0.6 25.5% / 52.7% and 23.5% / 41.7%; x1.5
  29.7% / 43.6% and 35.3% / 39.7%. A few points on chapter extracts, the TL;DR's starts worse in every case, and
  far from the issue's < 10%: not worth a second model (its own ONNX graph and shipped adapter weights) at
  ingest. Without punctuation or pauses, a cut lands on a sentence start about 70% of the time whichever way
  MiniLM reads the words.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.asr_copy import asr_lines  # noqa: E402
from tests.benchmarks.break_reader import half, punctuated_videos  # noqa: E402
from tests.benchmarks.reading_breaks import sentence_ends  # noqa: E402

WINDOW_WORDS, KEPT_WORDS, BATCH, LR = 96, 64, 16, 1e-3
OUT = Path("/tmp/break_finetune_odds.npz")


def reader(layers: int, rank: int):
    """MiniLM cut to its first `layers` layers, frozen, with low-rank adapters and a sentence-end head."""
    import torch
    from torch import nn
    from transformers import AutoModel
    from yt_transcript.ingest.embedding import DEFAULT_MODEL, resolve_model_path

    class Adapted(nn.Module):
        def __init__(self, base):
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(rank, base.in_features) * 0.01)
            self.b = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x):
            return self.base(x) + (x @ self.a.T) @ self.b.T

    class Reader(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = AutoModel.from_pretrained(resolve_model_path(DEFAULT_MODEL))
            self.model.encoder.layer = self.model.encoder.layer[:layers]
            for p in self.model.parameters():
                p.requires_grad = False
            for layer in self.model.encoder.layer:
                attention = layer.attention
                for name in ("query", "key", "value"):
                    setattr(attention.self, name, Adapted(getattr(attention.self, name)))
                attention.output.dense = Adapted(attention.output.dense)
                layer.intermediate.dense = Adapted(layer.intermediate.dense)
                layer.output.dense = Adapted(layer.output.dense)
            self.head = nn.Linear(2 * self.model.config.hidden_size, 1)

        def forward(self, encoded, own, following):
            states = self.model(**encoded).last_hidden_state
            rows = torch.arange(states.shape[0])[:, None]
            here = states[rows, own.clamp(min=0)]
            after = states[rows, following.clamp(min=0)] * (following >= 0).unsqueeze(-1)
            return self.head(torch.cat([here, after], -1)).squeeze(-1)

    return Reader()


def windows(tokenizer, words: list[str], labels: list[bool]) -> list[tuple]:
    """(word piece ids, each kept word's last piece, the next word's first piece or -1, labels, word positions)
    per window, as rag/breaks.word_features cuts them."""
    margin = (WINDOW_WORDS - KEPT_WORDS) // 2
    out = []
    for lo in range(0, len(words), KEPT_WORDS):
        first, hi, stop = max(0, lo - margin), min(lo + KEPT_WORDS, len(words)), min(len(words), lo + KEPT_WORDS + margin)
        encoded = tokenizer(words[first:stop], is_split_into_words=True, truncation=True, max_length=256)
        pieces: dict[int, list[int]] = {}
        for t, w in enumerate(encoded.word_ids()):
            if w is not None:
                pieces.setdefault(w, []).append(t)
        kept = [k for k in range(lo - first, hi - first) if k in pieces]
        out.append((encoded["input_ids"], [pieces[k][-1] for k in kept],
                    [pieces[k + 1][0] if k + 1 in pieces else -1 for k in kept],
                    [float(labels[first + k]) for k in kept], [first + k for k in kept]))
    return out


def batches(items: list[tuple], size: int):
    import torch

    for b in range(0, len(items), size):
        chunk = items[b:b + size]
        width, kept = max(len(w[0]) for w in chunk), max(len(w[1]) for w in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        own, following = torch.full((len(chunk), kept), -1), torch.full((len(chunk), kept), -1)
        labels, present = torch.zeros(len(chunk), kept), torch.zeros(len(chunk), kept, dtype=torch.bool)
        for i, (pieces, o, f, y, _) in enumerate(chunk):
            ids[i, :len(pieces)], mask[i, :len(pieces)] = torch.tensor(pieces), 1
            own[i, :len(o)], following[i, :len(f)] = torch.tensor(o), torch.tensor(f)
            labels[i, :len(y)], present[i, :len(y)] = torch.tensor(y), True
        yield chunk, {"input_ids": ids, "attention_mask": mask}, own, following, labels, present


def train(items: list[tuple], layers: int, rank: int, epochs: int):
    import torch

    model = reader(layers, rank)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=LR, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, LR, total_steps=epochs * math.ceil(len(items) / BATCH),
                                                   pct_start=0.1)
    for _ in range(epochs):
        model.train()
        random.shuffle(items)
        for _, encoded, own, following, labels, present in batches(items, BATCH):
            logits = model(encoded, own, following)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[present], labels[present])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    return model.eval()


def main() -> None:
    import torch
    from sklearn.metrics import average_precision_score, precision_recall_curve
    from transformers import AutoTokenizer
    from yt_transcript.ingest.embedding import DEFAULT_MODEL, resolve_model_path

    layers, rank, epochs = (int(a) for a in (sys.argv[1:4] if len(sys.argv) >= 4 else (6, 16, 6)))
    torch.set_num_threads(2)
    torch.manual_seed(0)
    random.seed(0)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path(DEFAULT_MODEL))
    data = {}
    for video in punctuated_videos():
        words = [w for line in asr_lines(video.snippets) for w in line.text.split()]
        data[video.video_id] = (words, sentence_ends(video.snippets))
    odds = {}
    for h in (0, 1):
        model = train([w for vid, (ws, ls) in data.items() if half(vid) != h for w in windows(tokenizer, ws, ls)],
                      layers, rank, epochs)
        truth, scores = [], []
        with torch.no_grad():
            for vid, (ws, ls) in ((v, d) for v, d in data.items() if half(v) == h):
                read = np.full(len(ws), -9.0, dtype=np.float32)
                for chunk, encoded, own, following, _, _ in batches(windows(tokenizer, ws, ls), 32):
                    logits = model(encoded, own, following).numpy()
                    for i, item in enumerate(chunk):
                        read[item[4]] = logits[i, :len(item[4])]
                odds[vid] = read
                truth.append(np.array(ls, dtype=bool))
                scores.append(read)
        y, s = np.concatenate(truth), np.concatenate(scores)
        precision, recall, _ = precision_recall_curve(y, s)
        at = " ".join(f"P@R{r}={precision[np.flatnonzero(recall >= r)[-1]]:.3f}" for r in (0.1, 0.3, 0.5, 0.7))
        print(f"half {h} (learned on the other): AP {average_precision_score(y, s):.3f} {at}", flush=True)
    np.savez(OUT, **odds)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

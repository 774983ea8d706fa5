"""Offline chapter titles that name the topic: a noun phrase or two from the chapter's distinctive terms.

No tagger is available offline, so a noun phrase is approximated as a run of content words (no stopword, no
common spoken verb or adverb) that does not end on a verb form; terms are ranked by TF-IDF against the other
chapters, with phrases of two or three words preferred to single words because they name things more
precisely ("Byte Pair Encoding" over "Pair"). Given the embedding model, the most distinctive terms are then
ordered by how close each comes to the chapter's meaning.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np

from yt_transcript.rag.sentences import topic_word
from yt_transcript.rag.stopwords import NOT_TOPIC

# Endings that nearly always make an adjective ("-al" and "-ive" also end nouns: "signal", "derivative").
_ADJECTIVE_ENDINGS = ("ical", "ous", "ful", "less")
# How many of a chapter's most distinctive terms are weighed by meaning: 8 and 30 measured no better.
CANDIDATES = 15
_MINOR = frozenset("a an and as at but by for in of on or the to vs via with".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+-]*[A-Za-z0-9+]|[A-Za-z]")
# With no tagger offline, a word's company says whether the talk uses it as a verb: mostly after a subject or
# an auxiliary ("it knows", "to interrogate"), seldom after a determiner ("the model").
_VERB_BEFORE = frozenset("to i you we they he she it who can could will would should might must may cannot can't "
                         "don't doesn't didn't won't let's".split())
# "to" is a verb's company only after these ("want to interrogate"); elsewhere it is a preposition ("to tokens").
_BEFORE_TO = frozenset("want wants wanted need needs needed have has had going how able try tries tried trying "
                       "used supposed like love start started begin allowed order".split())
_NOUN_BEFORE = frozenset("the a an this that these those my your our their its his her some any each every no of"
                         .split())
_VERB_SHARE = 0.3  # of a word's occurrences, at least this many after _VERB_BEFORE (and twice those after a noun's)
# A word said with the same neighbour this often is half of a phrase ("neural" of "neural network", "seek" of
# "deep seek"): alone it names nothing, and the phrase is a term of its own.
_HALF_SHARE = 0.8


def _verbal(norm: str) -> bool:
    """A word form that cannot end a noun phrase: usually a verb ("model trained", "tokens predicted") or an
    adjective ("Mathematical", "tokens useful")."""
    return (norm.endswith("ed") and not norm.endswith(("eed", "ded")) or norm in NOT_TOPIC
            or norm.endswith(_ADJECTIVE_ENDINGS))


def candidate_phrases(text: str, longest: int = 3) -> list[tuple[str, str]]:
    """(normalised phrase, surface form) for every 1- to longest-word run of content words in the text."""
    tokens = _WORD.findall(text)
    out: list[tuple[str, str]] = []
    run: list[str] = []
    for token in tokens + [""]:
        norm = token.lower()
        if token and topic_word(norm):
            run.append(token)
            continue
        for n in range(1, longest + 1):
            for i in range(len(run) - n + 1):
                gram = run[i:i + n]
                if _verbal(gram[-1].lower()) or (n > 1 and len({g.lower() for g in gram}) < n):
                    continue
                out.append((" ".join(g.lower() for g in gram), " ".join(gram)))
        run = []
    return out


def _stems(phrase: str) -> set[str]:
    """The phrase's words without a plural s, to tell "solution" and "solutions" apart from other terms."""
    return {_stem(w) for w in phrase.split()}


def _spelling(forms: Counter) -> str:
    """The most frequent written form; all-lower-case forms get title case, others (GPT, PyTorch) stay."""
    form = forms.most_common(1)[0][0]
    return " ".join(w if (w.lower() != w or w in _MINOR) else w.capitalize() for w in form.split())


def _quarters(text: str, longest: int = 3) -> dict[str, set[int]]:
    """Each 1- to longest-word run of the text's words (lower-case, as candidate_phrases spells them) with the
    quarters of the text it is said in; one pass, so a long chapter costs no more per term than a short one."""
    found = list(_WORD.finditer(text))
    tokens = [m.group(0).lower() for m in found]
    where: dict[str, set[int]] = {}
    for i in range(len(tokens)):
        quarter = min(3, 4 * found[i].start() // max(len(text), 1))  # by characters: by time, roughly
        for n in range(1, longest + 1):
            if i + n <= len(tokens):
                where.setdefault(" ".join(tokens[i:i + n]), set()).add(quarter)
    return where


def topic_titles(texts: list[str], centroids: np.ndarray | None = None,
                 embed: Callable[[list[str]], np.ndarray] | None = None, own_name: str = "") -> list[str]:
    """A title for each chapter of one video (texts in order), no two naming the same terms: a later chapter
    whose best pair another already has ("Deep Seek and Model", "Deep Seek and Models") takes its next term.

    With `embed` (phrases to unit vectors, the model that made the chapters' vectors) and each chapter's mean
    vector, a chapter's most distinctive terms are ordered by how close each comes to what the whole chapter
    says: counts find the candidates, meaning picks among them ("Activation Function and Neuron" over "Tanh
    and Output"). `own_name`: the channel's name, which names no chapter where it is said (a show's intro and
    outro say it, so "Crash" of "Crash Course" looked distinctive of both). Measured in tests/benchmarks/titles.py."""
    return titles_and_terms(texts, centroids, embed, own_name)[0]


def titles_and_terms(texts: list[str], centroids: np.ndarray | None = None,
                     embed: Callable[[list[str]], np.ndarray] | None = None, own_name: str = ""
                     ) -> tuple[list[str], list[list[str]]]:
    """`topic_titles`, and each chapter's terms (lower case) in the order its title was made from: one pass."""
    name = _name_said(own_name)
    ranked = _chapter_terms([name.sub(" the ", t) if name else t for t in texts], centroids, embed)
    titles: list[str] = []
    for terms, forms in ranked:
        titles.append(_compose(terms, forms, taken={_signature(t) for t in titles}))
    return titles, [terms for terms, _ in ranked]


def _chapter_terms(texts: list[str], centroids: np.ndarray | None,
                   embed: Callable[[list[str]], np.ndarray] | None) -> list[tuple[list[str], dict[str, Counter]]]:
    usage = _usage(texts)
    ranked = [_ranked_terms(text, texts[:i] + texts[i + 1:], usage) for i, text in enumerate(texts)]
    if embed is not None and centroids is not None:
        ranked = _by_meaning(ranked, centroids, embed)
    return ranked


def topic_title(text: str, other_texts: list[str], max_words: int = 5, taken: set[frozenset] = frozenset()) -> str:
    """One chapter's title by counts alone (`topic_titles` titles a whole video): its most distinctive phrase
    and "and" the next distinct one that fits in max_words; never one whose terms are `taken` (signatures of
    the video's other titles) while another term can make it distinct."""
    terms, forms = _ranked_terms(text, other_texts)
    return _compose(terms, forms, taken, max_words)


def _signature(title: str) -> frozenset[str]:
    return frozenset(w for w in _stems(title.lower()) if w not in _MINOR)


def _name_said(name: str) -> re.Pattern | None:
    """Where a channel's name of two words or more is said, spaced or not ("Crash Course", "CrashCourse"); the
    words alone stay topics ("a stock market crash"). A one-word name may well be a topic of its own."""
    words = _WORD.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name))
    if len(words) < 2:
        return None
    return re.compile(r"\b" + r"\s*".join(map(re.escape, words)) + r"\b", re.IGNORECASE)


def _ranked_terms(text: str, other_texts: list[str], usage: tuple[frozenset[str], frozenset[str]] | None = None
                  ) -> tuple[list[str], dict[str, Counter]]:
    """The chapter's terms, most distinctive first (TF-IDF against the other chapters, longer phrases and
    terms said throughout the chapter preferred), with each term's written forms; terms that weigh nothing
    (a phrase said once) are left out, and so are those with a verb in them, and halves of the talk's phrases
    (`usage`: _usage of all the video's chapters)."""
    verbs, halves = usage if usage is not None else _usage([text, *other_texts])
    mine = [(norm, surface) for norm, surface in candidate_phrases(text)
            if norm not in halves and not verbs.intersection(norm.split())]
    counts = Counter(norm for norm, _ in mine)
    forms: dict[str, Counter] = {}
    for norm, surface in mine:
        forms.setdefault(norm, Counter())[surface] += 1
    docs = [{norm for norm, _ in candidate_phrases(t)} for t in other_texts]
    n = len(docs) + 1
    quarters = _quarters(text)

    def weight(term: str) -> float:
        df = 1 + sum(term in d for d in docs)
        words = term.count(" ") + 1
        # A phrase must recur to count as a term of the chapter, not a chance run of words.
        if words > 1 and counts[term] < 2:
            return 0.0
        # Said in more quarters of the chapter, more likely its topic: an aside's name (a person in one
        # anecdote) sits in one place.
        spread = max(1, len(quarters.get(term, ())))
        return counts[term] * math.log(1 + n / df) * (1.0 + 0.6 * (words - 1)) * spread / 4

    weights = {term: weight(term) for term in counts}
    ranked = sorted((t for t in counts if weights[t] > 0), key=lambda t: (-weights[t], t))
    return ranked or sorted(counts, key=lambda t: (-weights[t], t))[:1], forms


def _usage(texts: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(verbs, halves) of this talk: the words it uses as verbs, by the company they keep or as a verb's "-s"
    form, which no term may hold; and the halves of its phrases, which cannot be a term alone."""
    tokens = [m.group(0).lower() for text in texts for m in _WORD.finditer(text)]
    said, before = Counter(tokens), defaultdict(Counter)
    sides: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(), Counter()))  # topic words around
    for i, (a, b) in enumerate(zip(tokens, tokens[1:])):
        infinitive = a == "to" and i > 0 and tokens[i - 1] in _BEFORE_TO  # "want to ...", not "text to tokens"
        before[b][a if a != "to" or infinitive else "to (a preposition)"] += 1
        if topic_word(b):
            sides[a][1][_stem(b)] += 1
        if topic_word(a):
            sides[b][0][_stem(a)] += 1

    def company(word: str, words: frozenset[str]) -> int:
        return sum(n for w, n in before[word].items() if w in words)

    def verbal(word: str) -> bool:
        verb, noun = company(word, _VERB_BEFORE), company(word, _NOUN_BEFORE)
        return verb >= 2 and verb >= _VERB_SHARE * said[word] and noun * 2 <= verb

    verbs = {w for w in said if verbal(w)}
    verbs |= {w for w in said if w.endswith("s") and w[:-1] in verbs and not company(w, _NOUN_BEFORE)}
    halves = {w for w, pair in sides.items() for side in pair
              if said[w] >= 3 and side and side.most_common(1)[0][1] >= _HALF_SHARE * said[w]}
    return frozenset(verbs), frozenset(halves)


# Endings that turn a word into another form of it ("dreaming", "dreamt"), with the shortest stem each may
# follow: a four-letter stem plus "t" or "d" is more often another word ("pain"/"paint", "bear"/"beard").
_INFLECTIONS = {"s": 4, "es": 4, "ing": 4, "ed": 5, "d": 5, "t": 5}


def _names_again(term: str, other: str) -> bool:
    """Whether two terms share a word, plurals and inflections aside ("dreaming" and "dreams", "dreamt")."""
    for a in _stems(term):
        for b in _stems(other):
            short, long = sorted((a, b), key=len)
            ending = long[len(short):]
            if short == long or (long.startswith(short) and len(short) >= _INFLECTIONS.get(ending, 99)):
                return True
    return False


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _by_meaning(ranked: list[tuple[list[str], dict[str, Counter]]], centroids: np.ndarray,
                embed: Callable[[list[str]], np.ndarray]) -> list[tuple[list[str], dict[str, Counter]]]:
    """Each chapter's first CANDIDATES terms reordered by cosine to the chapter's mean vector; one embedding
    call for the whole video."""
    heads = [terms[:CANDIDATES] for terms, _ in ranked]
    phrases = sorted({t for head in heads for t in head})
    if not phrases:
        return ranked
    vectors = np.asarray(embed(phrases), dtype=np.float32)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    row = {p: i for i, p in enumerate(phrases)}
    out = []
    for (terms, forms), head, centre in zip(ranked, heads, centroids):
        centre = np.asarray(centre, dtype=np.float32)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        closeness = {t: float(vectors[row[t]] @ centre) for t in head}
        out.append((sorted(head, key=lambda t: -closeness[t]) + terms[CANDIDATES:], forms))
    return out


def _compose(terms: list[str], forms: dict[str, Counter], taken: set[frozenset], max_words: int = 5) -> str:
    """The first term, joined with "and" to the next one that names something else, within max_words and
    not repeating another chapter's title."""
    if not terms:
        return "Untitled"
    known = set(terms)
    picked: list[str] = []
    for term in terms:
        if len(picked) == 1:
            # Two halves of one phrase the chapter says ("Neural" and "Networks") are that phrase.
            joined = next((p for p in (f"{picked[0]} {term}", f"{term} {picked[0]}") if p in known), None)
            if joined and joined.count(" ") < max_words and _signature(joined) not in taken:
                picked[0] = joined
                continue
        if any(_names_again(term, p) for p in picked):
            continue  # "Solutions and Solution", "Dreaming and Dreams" name one thing twice
        if sum(p.count(" ") + 1 for p in picked) + term.count(" ") + 1 > max_words - (1 if picked else 0):
            continue
        if picked and _signature(f"{picked[0]} {term}") in taken:
            continue
        picked.append(term)
        if len(picked) == 2:
            break
    if not picked:
        picked = terms[:1]
    title = " and ".join(_spelling(forms[p]) for p in picked)
    return title[:1].upper() + title[1:]

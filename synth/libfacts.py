"""What the verifier knows about its library, computed once: per-sentence facts, per-paper words
and entities, word rarity, and an index of the distinctive numbers sentences state."""

from __future__ import annotations

import math

from synth.library import Library
from synth.namechecks import paper_aliases
from synth.numchecks import Quantity, paper_slot_mates
from synth.records import Evidence, Sentence
from synth.search import EVIDENCE_KINDS_SKIPPED, content_words
from synth.tablechecks import Cell, abbreviations, expand, table_cells
from synth.textchecks import SentenceFacts, facts, number_keys, slot_index
from synth.textchecks import paper_entities as _paper_entities
from synth.untested import tested_words


class LibraryFacts:
    """Caches over one library, filled on first use (a verifier's per-claim work stays cheap)."""

    def __init__(self, library: Library, min_words: int = 4) -> None:
        self.library = library
        self.min_words = min_words  # shorter sentences are never evidence (as in retrieval)
        self._facts: dict[int, SentenceFacts] = {}
        self._papers: dict[str, dict[str, frozenset[str]]] = {}
        self._vocab: dict[str, frozenset[str]] = {}
        self._tested: dict[str, frozenset[str]] = {}
        self._slots: dict[str, dict[str, frozenset[str]]] = {}
        self._aliases: dict[str, frozenset[str]] = {}
        self._tables: dict[str, list[Cell]] = {}
        self._table_rows: dict[str, list[Sentence]] = {}
        self._numbers: dict[str, list[tuple[Sentence, bool]]] | None = None
        self._abbr: dict[str, dict[str, frozenset[str]]] = {}
        self._all: list[Sentence] | None = None
        self._by_paper: dict[str, list[Sentence]] = {}
        self._quantities: dict[str, tuple[Quantity, ...]] = {}
        self._quantity_sources: dict[str, tuple[Sentence, ...]] = {}
        self._postings: dict[str, tuple[list[Sentence], dict[str, list[int]]]] = {}

    def _sentences(self, paper_id: str | None = None) -> list[Sentence]:
        """The library's sentences (or one paper's) in reading order, read from the store once:
        the idf table, the number index and five per-paper caches each read them."""
        if paper_id is None:
            if self._all is None:
                self._all = self.library.sentences()
            return self._all
        if paper_id not in self._by_paper:
            self._by_paper[paper_id] = self.library.sentences(paper_id=paper_id)
        return self._by_paper[paper_id]

    def _is_evidence(self, s: Sentence) -> bool:
        """Whether a sentence may be evidence (as in retrieval): no reference, title, header,
        footer, front matter or equation, and at least ``min_words`` words."""
        return s.kind not in EVIDENCE_KINDS_SKIPPED and len(s.text.split()) >= self.min_words

    def evidence_facts(self, ev: Evidence) -> SentenceFacts:
        """The checks' facts of a retrieved sentence (parsed once per sentence)."""
        key = ev.sentence_id if ev.sentence_id is not None else hash(ev.text)
        if key not in self._facts:
            self._facts[key] = facts(ev.text)
        return self._facts[key]

    def _idf(self) -> dict[str, float]:
        """Inverse document frequency of content words over the library's sentences (built once)."""
        if not hasattr(self, "_idf_table"):
            df: dict[str, int] = {}
            sentences = self._sentences()
            for s in sentences:
                for w in content_words(s.text):
                    df[w] = df.get(w, 0) + 1
            n = len(sentences) + 1
            self._idf_table = {w: math.log(n / (c + 1)) for w, c in df.items()}
            self._idf_unseen = math.log(n)
        return self._idf_table

    def idf_weights(self, words: set[str]) -> dict[str, float]:
        """Each word's rarity in the library; words it never uses weigh most."""
        idf = self._idf()
        return {w: idf.get(w, self._idf_unseen) for w in words}

    def paper_sentences(self, paper_id: str) -> list[Sentence]:
        """One paper's sentences in reading order (read from the store once)."""
        return self._sentences(paper_id)

    def weighted_cover(self, words: set[str], covered: frozenset[str]) -> float:
        """Coverage with rare words weighing more; words the library never uses weigh most."""
        weights = self.idf_weights(words)
        total = sum(weights.values())
        return sum(v for w, v in weights.items() if w in covered) / total if total else 0.0

    def _number_index(self) -> dict[str, list[tuple[Sentence, bool]]]:
        """Distinctive number -> the evidence-eligible sentences stating it (built once)."""
        if self._numbers is None:
            mg = {p.paper_id for p in self.library.papers() if p.machine_generated}
            self._numbers = {}
            for s in filter(self._is_evidence, self._sentences()):
                for key in number_keys(s.text):
                    self._numbers.setdefault(key, []).append((s, s.paper_id in mg))
        return self._numbers

    def number_evidence(
        self, claim: str, have: set[int | None], exclude: tuple[str, ...]
    ) -> list[Evidence]:
        """Sentences stating one of the claim's distinctive numbers ("72.36", "10,636", "5000")
        that retrieval missed (table rows and bullets embed poorly; BM25 splits "72.36"), when
        they share two more words with the claim: the same number in another context is not it."""
        keys = number_keys(claim)
        if not keys:
            return []
        words = content_words(claim) - keys
        out = []
        for key in keys:
            hits = self._number_index().get(key, [])
            if len(hits) > 5:  # a common number (a year, "100") points nowhere
                continue
            for s, mg in hits:
                if s.sentence_id in have or s.paper_id in exclude:
                    continue
                if len(words & content_words(s.text)) < 2:
                    continue
                have.add(s.sentence_id)
                out.append(
                    Evidence(paper_id=s.paper_id, page=s.page, section=s.section, text=s.text,
                             sentence_id=s.sentence_id, score=0.0, machine_generated=mg)
                )  # fmt: skip
        return out

    def sentence_facts(self, s: Sentence) -> SentenceFacts:
        """The checks' facts of a paper's sentence (shared with :meth:`evidence_facts`)."""
        key = s.sentence_id if s.sentence_id is not None else hash(s.text)
        if key not in self._facts:
            self._facts[key] = facts(s.text)
        return self._facts[key]

    def carriers(
        self, paper_id: str, words: set[str], at_least: int, skip: set[int | None], limit: int
    ) -> list[tuple[int, Sentence]]:
        """A paper's evidence sentences holding at least ``at_least`` of ``words`` (content
        stems), none of ``skip``: (how many, sentence), most first, then in reading order, at
        most ``limit`` (a word index of the paper, built once)."""
        if paper_id not in self._postings:
            sents = [s for s in self._sentences(paper_id) if self._is_evidence(s)]
            index: dict[str, list[int]] = {}
            for i, s in enumerate(sents):
                for w in content_words(s.text):
                    index.setdefault(w, []).append(i)
            self._postings[paper_id] = (sents, index)
        sents, index = self._postings[paper_id]
        counts: dict[int, int] = {}
        for w in words:
            for i in index.get(w, ()):
                counts[i] = counts.get(i, 0) + 1
        found = sorted(
            (-n, i) for i, n in counts.items() if n >= at_least and sents[i].sentence_id not in skip
        )
        return [(-n, sents[i]) for n, i in found[:limit]]

    def paper_words(self, paper_id: str) -> frozenset[str]:
        """Every content word a paper uses (stemmed), built once per paper."""
        if paper_id not in self._vocab:
            words: set[str] = set()
            for s in self._sentences(paper_id):
                words |= content_words(s.text)
            self._vocab[paper_id] = frozenset(words)
        return self._vocab[paper_id]

    def paper_tested_words(self, paper_id: str) -> frozenset[str]:
        """The content words of a paper's own sections (``untested.tested_words``), once."""
        if paper_id not in self._tested:
            self._tested[paper_id] = tested_words(self._sentences(paper_id))
        return self._tested[paper_id]

    def paper_quantities(self, paper_id: str) -> tuple[Quantity, ...]:
        """Every figure a paper's evidence-eligible sentences state, with its context, once."""
        if paper_id not in self._quantities:
            out: list[Quantity] = []
            sources: list[Sentence] = []
            for s in filter(self._is_evidence, self._sentences(paper_id)):
                f = self._facts.get(s.sentence_id) if s.sentence_id is not None else None
                found = (f or facts(s.text)).quantities
                out.extend(found)
                sources.extend([s] * len(found))
            self._quantities[paper_id] = tuple(out)
            self._quantity_sources[paper_id] = tuple(sources)
        return self._quantities[paper_id]

    def slot_evidence(self, paper_id: str, claim: SentenceFacts) -> list[Evidence]:
        """The sentences where a paper states another value in the slot of a figure of the claim
        it never states (``numchecks.paper_slot_mates``), in reading order: the rationale of a
        figure changed out of sight of retrieval."""
        _, mates = paper_slot_mates(claim, self.paper_quantities(paper_id))
        sources = self._quantity_sources[paper_id]
        picked = {sources[i].sentence_id: sources[i] for i in mates}  # one per sentence
        return [
            Evidence(paper_id=s.paper_id, page=s.page, section=s.section, text=s.text,
                     sentence_id=s.sentence_id, score=0.0)
            for s in sorted(picked.values(), key=lambda s: s.sentence_id or 0)
        ]  # fmt: skip

    def paper_entities(self, paper_id: str) -> dict[str, frozenset[str]]:
        """Per kind, the entities a paper names anywhere (its title included)."""
        if paper_id not in self._papers:
            texts = [s.text for s in self._sentences(paper_id)]
            paper = self.library.get_paper(paper_id)
            self._papers[paper_id] = _paper_entities(texts + ([paper.title] if paper else []))
        return self._papers[paper_id]

    def paper_aliases(self, paper_id: str) -> frozenset[str]:
        """Names a paper writes in a way its claims may not (``namechecks.paper_aliases``:
        "spanish" where it writes "NLI-es", "kl" for "Kullback-Leibler"), once."""
        if paper_id not in self._aliases:
            self._aliases[paper_id] = paper_aliases(s.text for s in self._sentences(paper_id))
        return self._aliases[paper_id]

    def paper_slots(self, paper_id: str) -> dict[str, frozenset[str]]:
        """Context word -> the names beside it in a paper (``textchecks.slot_index``), once."""
        if paper_id not in self._slots:
            texts = [s.text for s in self._sentences(paper_id)]
            self._slots[paper_id] = slot_index(texts)
        return self._slots[paper_id]

    def expanded(self, paper_id: str, words: frozenset[str]) -> frozenset[str]:
        """``words`` with the long forms of the short forms among them that the paper defines
        ("DP" -> dependency parsing), so a sentence's "DP task" names "dependency parsing"."""
        if paper_id not in self._abbr:
            self._abbr[paper_id] = abbreviations([s.text for s in self._sentences(paper_id)])
        return expand(words, self._abbr[paper_id])

    def paper_tables(self, paper_id: str) -> list[Cell]:
        """The cells of a paper's tables (``tablechecks.table_cells``), parsed once."""
        if paper_id not in self._tables:
            sents = list(self._sentences(paper_id))
            rows = [s for s in sents if s.kind == "table"]
            other = [s.text for s in sents if s.kind != "table"] if rows else []
            self._tables[paper_id] = table_cells([s.text for s in rows], other)
            self._table_rows[paper_id] = rows
        return self._tables[paper_id]

    def table_evidence(self, paper_id: str, cells: list[Cell]) -> list[Evidence]:
        """The table rows that hold ``cells`` (of :meth:`paper_tables`), as evidence, in order."""
        rows = self._table_rows.get(paper_id, [])
        picked = sorted({c.source for c in cells if 0 <= c.source < len(rows)})
        return [
            Evidence(paper_id=s.paper_id, page=s.page, section=s.section, text=s.text,
                     sentence_id=s.sentence_id, score=0.0)
            for s in (rows[i] for i in picked)
        ]  # fmt: skip

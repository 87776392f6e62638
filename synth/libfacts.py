"""What the verifier knows about its library, computed once: per-sentence facts, per-paper words
and entities, word rarity, and an index of the distinctive numbers sentences state."""

from __future__ import annotations

import math
from typing import Any

from synth.library import Library
from synth.libstate import LibraryState, paper_key, text_key
from synth.namechecks import paper_aliases
from synth.numchecks import Quantity, paper_slot_mates
from synth.records import Evidence, Sentence
from synth.search import EVIDENCE_KINDS_SKIPPED, content_words
from synth.tablechecks import Cell, abbreviations, expand, table_cells
from synth.textchecks import SentenceFacts, facts, number_keys, slot_index
from synth.textchecks import paper_entities as _paper_entities
from synth.undone import undone_sentences
from synth.untested import tested_words


class LibraryFacts:
    """Caches over one library, filled on first use (a verifier's per-claim work stays cheap)."""

    def __init__(
        self, library: Library, min_words: int = 4, state: LibraryState | None = None
    ) -> None:
        self.library = library
        self.min_words = min_words  # shorter sentences are never evidence (as in retrieval)
        # What ingest stored (``synth.libstate``): read instead of computed when there.
        self.state = state if state is not None and state.conn is not None else None
        self._loaded: set[str] = set()  # papers whose stored tables were looked up
        self._library_looked_up = False  # the stored library-level tables
        self._word_index: dict[str, Any] = {}  # predicates.paper_index's, per paper
        self._facts: dict[int, SentenceFacts] = {}
        self._papers: dict[str, dict[str, frozenset[str]]] = {}
        self._vocab: dict[str, frozenset[str]] = {}
        self._tested: dict[str, frozenset[str]] = {}
        self._undone: dict[str, frozenset[int]] = {}
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
            self._facts[key] = self.text_facts(ev.text)
        return self._facts[key]

    def text_facts(self, text: str) -> SentenceFacts:
        """``textchecks.facts`` of a library sentence: stored at ingest, else parsed."""
        if self.state is not None:
            found = self.state.get("facts|" + text_key(text))
            if found is not None:
                return found  # type: ignore[return-value]
        return facts(text)

    # === Stored state (synth.libstate) ========================================================
    def _load_library(self) -> None:
        """The word rarity and number index stored for this library's sentences, once."""
        if self.state is None or self._library_looked_up:
            return
        self._library_looked_up = True
        found = self.state.get(f"library|{self.min_words}|{self.state.fingerprint()}")
        if isinstance(found, dict):
            self._idf_table, self._idf_unseen = found["idf"]
            self._numbers = found["numbers"]

    def library_state(self) -> dict[str, object]:
        """The library-level tables, as :meth:`_load_library` reads them."""
        return {"idf": (self._idf(), self._idf_unseen), "numbers": self._number_index()}

    def paper_key(self, paper_id: str) -> str:
        """The key of a paper's stored tables: its id, title and sentences."""
        paper = self.library.get_paper(paper_id)
        return paper_key(paper_id, paper.title if paper else "", self._sentences(paper_id))

    def paper_state(self, paper_id: str) -> dict[str, object]:
        """Every per-paper table of a paper, worked out now, as :meth:`load_paper` installs it."""
        from synth.predicates import paper_index

        self.paper_tables(paper_id)
        self.paper_quantities(paper_id)
        self.carriers(paper_id, set(), 1, set(), 0)
        self.expanded(paper_id, frozenset())
        return {
            "entities": self.paper_entities(paper_id),
            "words": self.paper_words(paper_id),
            "tested": self.paper_tested_words(paper_id),
            "slots": self.paper_slots(paper_id),
            "aliases": self.paper_aliases(paper_id),
            "abbr": self._abbr[paper_id],
            "tables": (self._tables[paper_id], self._table_rows[paper_id]),
            "quantities": (self._quantities[paper_id], self._quantity_sources[paper_id]),
            "postings": self._postings[paper_id],
            "word_index": paper_index(self, paper_id),
        }

    def load_paper(self, paper_id: str) -> None:
        """Install a paper's stored tables (when stored for its present sentences), once."""
        if self.state is None or paper_id in self._loaded:
            return
        self._loaded.add(paper_id)
        found = self.state.get(f"paper|{self.min_words}|{self.paper_key(paper_id)}")
        if not isinstance(found, dict):
            return
        self._papers.setdefault(paper_id, found["entities"])
        self._vocab.setdefault(paper_id, found["words"])
        self._tested.setdefault(paper_id, found["tested"])
        self._slots.setdefault(paper_id, found["slots"])
        self._aliases.setdefault(paper_id, found["aliases"])
        self._abbr.setdefault(paper_id, found["abbr"])
        if paper_id not in self._tables:
            self._tables[paper_id], self._table_rows[paper_id] = found["tables"]
        if paper_id not in self._quantities:
            self._quantities[paper_id], self._quantity_sources[paper_id] = found["quantities"]
        self._postings.setdefault(paper_id, found["postings"])
        self._word_index.setdefault(paper_id, found["word_index"])

    def _idf(self) -> dict[str, float]:
        """Inverse document frequency of content words over the library's sentences (built once)."""
        self._load_library()
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

    def passage_texts(self, paper_id: str) -> list[str]:
        """The texts of a paper's sentences that passages are made of (those not skipped as
        evidence, in reading order): ``predicates.paper_index``'s sentences, whose positions
        ``paper_undone`` gives."""
        return [s.text for s in self._sentences(paper_id) if s.kind not in EVIDENCE_KINDS_SKIPPED]

    def weighted_cover(self, words: set[str], covered: frozenset[str]) -> float:
        """Coverage with rare words weighing more; words the library never uses weigh most."""
        weights = self.idf_weights(words)
        total = sum(weights.values())
        return sum(v for w, v in weights.items() if w in covered) / total if total else 0.0

    def _number_index(self) -> dict[str, list[tuple[Sentence, bool]]]:
        """Distinctive number -> the evidence-eligible sentences stating it (built once)."""
        self._load_library()
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
            self._facts[key] = self.text_facts(s.text)
        return self._facts[key]

    def carriers(
        self, paper_id: str, words: set[str], at_least: int, skip: set[int | None], limit: int
    ) -> list[tuple[int, Sentence]]:
        """A paper's evidence sentences holding at least ``at_least`` of ``words`` (content
        stems), none of ``skip``: (how many, sentence), most first, then in reading order, at
        most ``limit`` (a word index of the paper, built once)."""
        self.load_paper(paper_id)
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
        self.load_paper(paper_id)
        if paper_id not in self._vocab:
            words: set[str] = set()
            for s in self._sentences(paper_id):
                words |= content_words(s.text)
            self._vocab[paper_id] = frozenset(words)
        return self._vocab[paper_id]

    def paper_tested_words(self, paper_id: str) -> frozenset[str]:
        """The content words of a paper's own sections (``untested.tested_words``), once."""
        self.load_paper(paper_id)
        if paper_id not in self._tested:
            self._tested[paper_id] = tested_words(self._sentences(paper_id))
        return self._tested[paper_id]

    def paper_undone(self, paper_id: str) -> frozenset[int]:
        """The positions, among a paper's evidence-eligible sentences in reading order (the
        sentences of ``predicates.paper_index``), of those saying a thing was not done
        (``undone.undone_sentences``), once."""
        if paper_id not in self._undone:
            self._undone[paper_id] = undone_sentences(self.passage_texts(paper_id))
        return self._undone[paper_id]

    def paper_quantities(self, paper_id: str) -> tuple[Quantity, ...]:
        """Every figure a paper's evidence-eligible sentences state, with its context, once."""
        self.load_paper(paper_id)
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
        self.load_paper(paper_id)
        if paper_id not in self._papers:
            texts = [s.text for s in self._sentences(paper_id)]
            paper = self.library.get_paper(paper_id)
            self._papers[paper_id] = _paper_entities(texts + ([paper.title] if paper else []))
        return self._papers[paper_id]

    def paper_aliases(self, paper_id: str) -> frozenset[str]:
        """Names a paper writes in a way its claims may not (``namechecks.paper_aliases``:
        "spanish" where it writes "NLI-es", "kl" for "Kullback-Leibler"), once."""
        self.load_paper(paper_id)
        if paper_id not in self._aliases:
            self._aliases[paper_id] = paper_aliases(s.text for s in self._sentences(paper_id))
        return self._aliases[paper_id]

    def paper_slots(self, paper_id: str) -> dict[str, frozenset[str]]:
        """Context word -> the names beside it in a paper (``textchecks.slot_index``), once."""
        self.load_paper(paper_id)
        if paper_id not in self._slots:
            texts = [s.text for s in self._sentences(paper_id)]
            self._slots[paper_id] = slot_index(texts)
        return self._slots[paper_id]

    def expanded(self, paper_id: str, words: frozenset[str]) -> frozenset[str]:
        """``words`` with the long forms of the short forms among them that the paper defines
        ("DP" -> dependency parsing), so a sentence's "DP task" names "dependency parsing"."""
        self.load_paper(paper_id)
        if paper_id not in self._abbr:
            self._abbr[paper_id] = abbreviations([s.text for s in self._sentences(paper_id)])
        return expand(words, self._abbr[paper_id])

    def paper_tables(self, paper_id: str) -> list[Cell]:
        """The cells of a paper's tables (``tablechecks.table_cells``), parsed once."""
        self.load_paper(paper_id)
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

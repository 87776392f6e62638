"""Verification: a claim in, a SciFact-shaped verdict out (label, calibrated confidence, rationale).

For each claim: hybrid retrieval of ten candidate sentences (``synth.search``), plus any sentence
stating one of the claim's distinctive numbers; the candidate that carries the claim (its words
and numbers) is the evidence the checks of ``synth.textchecks`` / ``synth.numchecks`` read
(numbers about the same thing, scoped negation, direction, degree, quantifiers, swapped roles,
entities), with the next candidates consulted for numbers and conflicts; a calibrated label
distribution (``synth.calibrate``); optionally an NLI cross-encoder the user names.
Machine-generated sources are retrieved and shown but never count: the checks only look at
human-written evidence.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import Field

from synth.calibrate import Calibrator, load_calibrator, nli_calibrator
from synth.comparisons import any_conflict, comparison_core, sides_missing, word_checks
from synth.exceptions import exception_conflict
from synth.frame_swaps import paper_frame_swap, partner_swap
from synth.language import looks_english
from synth.libfacts import LibraryFacts
from synth.library import Library
from synth.name_pairs import names_apart
from synth.namechecks import (
    aligned_opposite,
    local_swap,
    paper_uses,
    role_swap,
    slot_substitution,
)
from synth.nli import model_identity, nli_features, resolve_nli_model
from synth.numchecks import paper_absent, paper_slot_conflict
from synth.predicates import paper_index, paper_links
from synth.records import LABELS, Evidence, Verdict
from synth.rival_use import paper_rival_use
from synth.role_fillers import paper_role_filler
from synth.search import HybridSearcher, SearchSettings, content_words, one_blas_thread
from synth.settings import Settings
from synth.superlatives import holder_swap
from synth.tablechecks import table_comparison, table_numbers, table_threshold
from synth.textchecks import (
    SentenceFacts,
    entity_checks,
    facts,
    name_terms,
    numeric_agreement,
    quantifier_conflict,
    slot_swap,
)
from synth.undone import undone_match
from synth.untested import untested_names
from synth.wordfamily import family_cover

# Share of a claim's words a candidate must carry for its exception to speak of the claim.
_QUANT_COVER = 0.3
# Share of the best candidate's cover a lower-ranked sentence needs for its conflict to count.
_DEEP_COVER = 0.9
# The paper's sentences beyond retrieval's that carry most of the claim, read for that conflict.
_DEEP_READ = 3
# The candidates whose papers' tables are read for a comparison: a claim that names a table's
# row and column labels often ranks their paper's sentences below the top three (sentences
# naming its sides in prose rank first). The fourth and fifth's papers are read only when no
# table of the top three's decided (a further paper's table with more of the claim's words is
# another paper's XLM-R and mBERT rows, not the BeWiC column the claim speaks of).
_TABLE_READ = 5


class VerifySettings(Settings):
    """How claims are verified."""

    search: SearchSettings = Field(
        # Ten candidates: the sentence carrying a claim's numbers is often ranked 6th-10th.
        default_factory=lambda: SearchSettings(top_k=10),
        description="Evidence retrieval (its top_k candidates are all read by the checks).",
    )
    calibrator: str | None = Field(
        default=None, description="Calibrator JSON; the packaged fitted one when None."
    )
    nli_model: str | None = Field(
        default=None,
        description="Optional NLI cross-encoder (hub id, folder, or 'claimlab-nli': the one"
        " `claimlab nli train` made) as a second stage.",
    )
    nli_weight: float = Field(
        default=1.0,
        ge=0,
        description="Weight of the NLI stage's log-probs, mixed in (uncalibrated) only when no"
        " calibrator was fitted for the NLI model.",
    )
    paper_carriers: int = Field(
        default=2,
        ge=0,
        description="Sentences of retrieval's first paper holding the most of the claim's words,"
        " read beside the retrieved ones (a finding stated in other words ranks low).",
    )
    max_rationale: int = Field(default=3, ge=1, description="Rationale sentences kept per verdict.")
    verified_min_confidence: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Below this, a SUPPORTS verdict is never shown as verified.",
    )


def verified_label(verdict: Verdict, min_confidence: float = 0.8) -> str:
    """What a user sees: 'verified' only for a confident SUPPORTS; never beside a low confidence."""
    if verdict.label == "SUPPORTS":
        return "verified" if verdict.confidence >= min_confidence else "supported (low confidence)"
    if verdict.label == "REFUTES":
        return "refuted" if verdict.confidence >= min_confidence else "refuted (low confidence)"
    return "not enough info"


class Verifier:
    """Verifies claims against one library."""

    SEARCH_CHUNK = 64  # claims searched together by verify_many, at most ...
    MIN_GROUP = 16  # ... and at least, while the encoder is still at work on the others
    CARRIER_MIN_WORDS = 2  # claim words a sentence of the first paper must hold to be read

    def __init__(
        self,
        library: Library,
        settings: VerifySettings | None = None,
        searcher: HybridSearcher | None = None,
    ) -> None:
        self.library = library
        self.settings = settings or VerifySettings()
        self.searcher = searcher or HybridSearcher(library, self.settings.search)
        self.calibrator: Calibrator = load_calibrator(self.settings.calibrator)
        # The NLI model's name as loaded and its identity (recipe + card hash for a trained one).
        self.nli_name = (
            resolve_nli_model(self.settings.nli_model) if self.settings.nli_model else ""
        )
        self.nli_id = model_identity(self.nli_name) if self.nli_name else ""
        if self.nli_name:
            self.calibrator = nli_calibrator(self.calibrator, self.settings.calibrator, self.nli_id)
        # The library's tables as ingest stored them (the searcher's state: one fingerprint).
        self.known = LibraryFacts(
            library, self.searcher.settings.min_words, getattr(self.searcher, "state", None)
        )
        self.models = {
            "embedding": self.searcher.embedder.stamp,
            "calibrator": self.calibrator.stamp,
            "claimlab": importlib.metadata.version("claimlab"),
        }
        if self.nli_name:
            st = importlib.metadata.version("sentence-transformers")
            self.models["nli"] = f"{self.nli_name}@st=={st}"
            self.models["nli_id"] = self.nli_id

    @property
    def settings_hash(self) -> str:
        if not hasattr(self, "_settings_hash"):
            self._settings_hash = self.settings.settings_hash()
        return self._settings_hash

    @property
    def store_key(self) -> str:
        """What a stored verdict is reused under: the settings hash and every model stamped on
        verdicts (the encoder as it runs, int8 included; the calibrator as fitted; claimlab's
        version; the NLI model). A verdict stored under one encoder or calibrator is never
        reused under another, though the settings hash (which leaves the runtime out) is equal."""
        if not hasattr(self, "_store_key"):
            stamps = json.dumps(self.models, sort_keys=True)
            digest = hashlib.sha256(f"{self.settings_hash}|{stamps}".encode()).hexdigest()
            self._store_key = f"{self.settings_hash}-{digest[:12]}"
        return self._store_key

    # === Step 0: candidate evidence ============================================================
    def candidates(
        self,
        claim: str,
        qvec: np.ndarray,
        exclude_papers: tuple[str, ...] = (),
        evidence: Sequence[Evidence] | None = None,
    ) -> list[Evidence]:
        """The sentences the checks may read: retrieval's candidates (``evidence`` when already
        searched), then any sentence stating one of the claim's distinctive numbers, then the
        sentences of retrieval's first paper that hold the most of the claim's words."""
        if evidence is None:
            evidence = self.searcher.search(claim, qvec, exclude_papers)
        have = {e.sentence_id for e in evidence}
        numbers = self.known.number_evidence(claim, have, exclude_papers)
        return [*evidence, *numbers, *self._paper_carriers(claim, evidence, have)]

    def _paper_carriers(
        self, claim: str, evidence: Sequence[Evidence], have: set[int | None]
    ) -> list[Evidence]:
        """The sentences of retrieval's first human-written paper holding the most of the claim's
        content words (at least two), none already read: a paper restates its finding in words
        that embed and rank apart from the claim's ("performs poorly" for "handles unseen words
        poorly"), while the sentence retrieval put first often only shares the topic. The claim's
        numbers are not among the words (a table row sharing a figure and one word is another
        matter; the sentences stating its numbers are ``number_evidence``'s)."""
        if self.settings.paper_carriers <= 0:
            return []
        first = next((e for e in evidence if not e.machine_generated), None)
        if first is None:
            return []
        words = {w for w in content_words(claim) if not w.replace(".", "").isdigit()}
        found = self.known.carriers(
            first.paper_id, words, self.CARRIER_MIN_WORDS, have, self.settings.paper_carriers
        )
        return [
            Evidence(paper_id=first.paper_id, page=s.page, section=s.section, text=s.text,
                     sentence_id=s.sentence_id, score=0.0, machine_generated=False)
            for _, s in found
        ]  # fmt: skip

    # === Step 1: features of a claim against its human-written evidence =======================
    def features(
        self, claim: str, evidence: Sequence[Evidence], qvec: np.ndarray
    ) -> tuple[dict[str, float], Evidence | None, list[Evidence]]:
        """Check features against the best-aligned human-written evidence (None when none), and
        the table rows whose cells decided a comparison (the rationale then; else empty).

        Among the retrieved candidates, the one that carries the claim (its content words and,
        for a claim with numbers, a number about the same thing) is the evidence the checks read;
        retrieval's first choice often only shares the topic.
        """
        human = [e for e in evidence if not e.machine_generated]
        if not human:
            return {"missing": 1.0, "num_unmatched": 1.0}, None, []
        cf = facts(claim)
        cwords = content_words(claim)
        cands = self.ranked(cf, cwords, human, qvec)
        _, sim, cover, num_match, num_conflict, best, ef = cands[0]
        if cf.numbers and len(cands) > 1:  # numbers the next candidates state count as matched
            # Only the evidence's own paper vouches for a claim's number: another paper's
            # figure that happens to match says nothing about this one.
            same = tuple(c[6] for c in cands[1:3] if c[5].paper_id == best.paper_id)
            num_match, num_conflict = numeric_agreement(cf, ef, same)
        top_words = frozenset().union(*(c[6].stems for c in cands[:3]))
        swap, missing = entity_checks(cf, ef, self.known.paper_entities(best.paper_id))
        # A swapped name is often in the next sentence that carries the claim.
        carriers = [c for c in cands[1:3] if c[2] >= 0.5 * cover]
        for c in carriers:
            ctx = self.known.paper_entities(c[5].paper_id)
            swap = max(swap, entity_checks(cf, c[6], ctx, aligned_only=True)[0])
        # The sentence the claim copies, reworded (names trading roles, another name in one's
        # place, the opposite of a claim word between the same words), or any sentence of the
        # paper, retrieval's or not, stating the claim with another name in one slot (the frame
        # sentence of an entity swap often shares only the topic), or one putting another name
        # in the role the claim gives its own ("as the initial model"): a feature of its own.
        paper = self.known.paper_sentences(best.paper_id)
        copy_conflict = max(
            _reworded(claim, best.text),
            aligned_opposite(claim, best.text),
            *(_reworded(claim, c[5].text) for c in carriers),
            paper_frame_swap(claim, paper),
            paper_rival_use(claim, paper),
            paper_role_filler(claim, paper),
        )
        core = comparison_core(claim)
        ewords = self.known.expanded(best.paper_id, ef.stems) if core else ef.stems
        checks = word_checks(cf, ef, core, ewords)
        conflict_deep = self._deep_conflict(cf, cwords, cands, cover, core)
        names = name_terms(claim)
        # The sentence stating the claim's numbers names another thing where the claim names X.
        num_swap = local_swap(cf, ef) if cf.numbers and num_match == 1.0 else 0.0
        # Both paper-wide number checks read the paper's figures, looked up once.
        unmatched = bool(cf.numbers) and num_match < 1.0
        figures = self.known.paper_quantities(best.paper_id) if unmatched else ()
        # A figure the paper never states, where it states another for the same thing: read
        # only when the evidence shows no conflict itself (its changed figure's sentence was not
        # retrieved), so the feature says what num_conflict cannot.
        num_paper = paper_slot_conflict(cf, figures) if unmatched and num_conflict == 0.0 else 0.0
        # A figure in digits its paper states nowhere, not even rounded: a claim bringing a
        # number of its own about the paper's things (NEI), or a changed one (REFUTES).
        num_absent = paper_absent(cf, figures) if unmatched else 0.0
        paper_words = self.known.paper_words(best.paper_id)
        # A name the evidence's paper never uses, in any of its spellings ("Spanish" where it
        # writes "NLI-es"): swapped in (REFUTES) or off topic (NEI).
        aliases = self.known.paper_aliases(best.paper_id)
        name_missing = sum(not paper_uses(n, paper_words, aliases) for n in names) / max(
            1, len(names)
        )
        # A result claimed for a name the paper mentions only in its introduction, related work,
        # limitations or references: carried over to something it never tested (NEI).
        untested = untested_names(
            claim, paper_words, self.known.paper_tested_words(best.paper_id), aliases
        )
        # ... where the paper names something else of its kind ("Adam" for its "SGD optimizer").
        slot = slot_swap(cf, paper_words, self.known.paper_slots(best.paper_id), aliases)
        # A comparison two table cells decide ("A beat B" against A's and B's cells).
        table, table_rows = (0.0, 0.0, 0.0), []
        papers = list(dict.fromkeys(c[5].paper_id for c in cands[:_TABLE_READ]))
        top3 = {c[5].paper_id for c in cands[:3]}
        for pid in papers:
            if pid not in top3 and table[2]:
                break  # the top three's papers decided; a further paper's table is not read
            if cf.numbers and num_match < 1.0 and pid in top3:  # numbers the cells state
                t_match, t_conflict = table_numbers(
                    claim, cf.quantities, self.known.paper_tables(pid)
                )
                num_match, num_conflict = max(num_match, t_match), max(num_conflict, t_conflict)
            deciding: list = []
            found = table_comparison(claim, self.known.paper_tables(pid), deciding)
            # Of two papers' tables, the one whose labels carry more of the claim decides ("XLM-R
            # beat mBERT on BeWiC": one paper's BeWiC column, not another's XLM-R and mBERT rows).
            if found[2] > table[2]:
                table = found
                table_rows = self.known.table_evidence(pid, [c for p in deciding for c in p])
        # A quantified bound ("every model tested exceeded an F1-score of 80%") against the cells
        # it ranges over: one cell on the wrong side is the exception that refutes it.
        bounded = (0.0, 0.0, 0.0)
        if not table[2]:
            for pid in dict.fromkeys(c[5].paper_id for c in cands[:3]):
                found = table_threshold(claim, self.known.paper_tables(pid))
                bounded = found if found[2] > bounded[2] else bounded
            num_match, num_conflict = max(num_match, bounded[0]), max(num_conflict, bounded[1])
        if table[2]:
            # The two cells' rows carry the claim (no one sentence does); their values bear out
            # or contradict its ordering, as a stated number would its value, and a contradicted
            # comparison is a flipped direction.
            cover = max(cover, table[2])
            num_match, num_conflict = max(num_match, table[0]), max(num_conflict, table[1])
            checks["direction"] = max(checks["direction"], table[1])
        # Parity-only negation (0.5: the negated words are not shared) is too weak to count.
        strong = {k: (v if k != "negation" or v >= 1.0 else 0.0) for k, v in checks.items()}
        conflict = max(num_conflict, num_paper, copy_conflict, swap, *strong.values())
        # An exception on topic in the evidence's paper refutes a claim of "every"/"all" (the
        # sentence naming it rarely shares most of the claim's words: "except for 1% ChemProt",
        # "on 8 of 9 models"); another paper's exception limits another finding. It is a
        # conflict as much of the claim as its sentence carries.
        excepting = [
            c[2]
            for c in cands
            if c[5].paper_id == best.paper_id
            and c[2] >= max(_QUANT_COVER, 0.5 * cover)
            and (quantifier_conflict(cf, c[6]) or exception_conflict(cf, c[6]))
        ]
        quantifier_top = bounded[1] or float(bool(excepting))
        # The next candidates that carry the claim may state the opposite (a restated finding).
        conflict_top = max(
            (any_conflict(cf, c[6], core) * c[2] for c in cands[1:3] if c[2] >= 0.5 * cover),
            default=0.0,
        )
        # A negation the evidence and the claim disagree on, while another sentence of its paper
        # carries the claim about as well and states no conflict: the negation may be the
        # neighbouring sentence's, the claim said in other words there ("needs no labels" / "with
        # no labelled data" beside "trained on labeled data in the second stage").
        negation_rival = self._clean_rival(cf, cands, core) if checks["negation"] >= 1.0 else 0.0
        links = paper_links(self.known, best.paper_id, cwords, claim)  # claim words said together
        pindex = paper_index(self.known, best.paper_id)  # its passages (names_apart, undone_match)
        feats = {
            "sim": sim,
            "sim_max": max(c[1] for c in cands),
            "sim_gap": sim - max((c[1] for c in cands[1:]), default=0.0),
            "cover": cover,
            "cover_top": len(cwords & top_words) / max(1, len(cwords)),
            "cover_idf": self.known.weighted_cover(cwords, ef.stems),
            "cover_pair": self._pair_cover(cwords, cands, cover),
            "paper_cover": self.known.weighted_cover(cwords, paper_words),
            **links,
            # ... unsaid together in its paper, read where the evidence does not carry the claim
            # either: a stated claim's sentence covers it (the link features alone turned those
            # into REFUTES, session 8), a related one's predicate is said nowhere near its names.
            "link_gap": (1.0 - links["paper_link"]) * (1.0 - cover),
            # The claim's names its paper uses but no passage of it holds together: a relation
            # between things the paper names apart (names survive a paraphrase; words do not).
            "names_apart": names_apart(claim, pindex),
            # The paper's sentence holding most of the claim says the thing was not done (future
            # work, a limitation, a comparison not made), and no other holds as much (NEI).
            "undone_match": undone_match(
                claim,
                cwords,
                pindex,
                self.known.paper_undone(best.paper_id),
                self.known.idf_weights(cwords),
            ),
            "num_match": num_match,
            "num_conflict": num_conflict,
            "num_unmatched": max(0.0, 1.0 - num_match - num_conflict) if cf.numbers else 0.0,
            **checks,
            "swap": swap,
            "name_missing": name_missing,
            "name_missing_x_cover": name_missing * cover,
            "name_untested": float(bool(untested)),
            "slot_swap": slot,
            "num_swap": num_swap,
            "slot_swap_x_cover": slot * cover,
            # A comparison whose two sides neither the evidence nor two table cells name.
            "sides_missing": sides_missing(core, ewords, best.text)
            if core and not table[2]
            else 0.0,
            "table_support": max(table[0], bounded[0]),
            "table_conflict": max(table[1], bounded[1]),
            "missing": missing,
            "conflict_x_sim": conflict * max(0.0, sim - 0.5) * 2,
            "conflict_x_cover": max([conflict * cover, *excepting]),
            "conflict_top": conflict_top,
            "conflict_deep": conflict_deep,
            "quantifier_top": quantifier_top,
            "num_paper_conflict": num_paper,
            "num_absent": num_absent,
            "copy_conflict": copy_conflict,
            "negation_rival": negation_rival,
        }
        return feats, best, table_rows

    @staticmethod
    def _pair_cover(cwords: set[str], cands: list[tuple], cover: float) -> float:
        """Cover of the claim by the evidence, or by it and one of the next two candidates of its
        paper together (a claim that merges two sentences), a claim word counting when its
        family is there (``synth.wordfamily``: "drops" / "decreases", "annotated" /
        "annotators"); at least ``cover``."""
        best, ef = cands[0][5], cands[0][6]
        pairs = (ef.stems | c[6].stems for c in cands[1:3] if c[5].paper_id == best.paper_id)
        return max(
            [cover, family_cover(cwords, ef.stems), *(family_cover(cwords, s) for s in pairs)]
        )

    def _clean_rival(self, cf: SentenceFacts, cands: list[tuple], core: tuple | None) -> float:
        """How fully another candidate of the best's paper that states no conflict with the claim
        (no scoped negation, flipped direction, degree, quantifier or contradicted number)
        carries it, as a share of the best's similarity and cover (its lesser share, at most 1);
        0 when none does."""
        _, sim, cover, *_, best, _ = cands[0]
        found = 0.0
        if sim <= 0.0 or cover <= 0.0:
            return found
        for _, cos, c_cover, _, num_conflict, e, ef in cands[1:]:
            if e.paper_id != best.paper_id or num_conflict >= 0.5:
                continue
            share = min(1.0, cos / sim, c_cover / cover)
            if share <= found:
                continue
            words = self.known.expanded(e.paper_id, ef.stems) if core else ef.stems
            checks = word_checks(cf, ef, core, words)
            if checks.pop("negation") < 1.0 and max(checks.values()) < 0.5:
                found = share
        return found

    def _deep_conflict(
        self,
        cf: SentenceFacts,
        cwords: set[str],
        cands: list[tuple],
        cover: float,
        core: tuple | None,
    ) -> float:
        """The cover of a sentence of the best's paper past the three the checks read that carries
        the claim about as fully as the best (a restated finding, ranked low for its other wording,
        or one retrieval missed: the paper's sentences holding most of the claim's words) and
        plainly states the opposite; 0 when none does."""
        if cover <= 0.0:
            return 0.0
        pid = cands[0][5].paper_id
        found = [
            c[2]
            for c in cands[3:]
            if c[5].paper_id == pid
            and c[2] >= _DEEP_COVER * cover
            and self._states_opposite(cf, c[6], c[4], pid, core)
        ]
        need = math.ceil(_DEEP_COVER * cover * len(cwords) - 1e-9)
        have = {c[5].sentence_id for c in cands}
        for n, s in self.known.carriers(pid, cwords, need, have, _DEEP_READ):
            ef = self.known.sentence_facts(s)
            if self._states_opposite(cf, ef, numeric_agreement(cf, ef)[1], pid, core):
                found.append(n / len(cwords))
        return max(found, default=0.0)

    def _states_opposite(
        self,
        cf: SentenceFacts,
        ef: SentenceFacts,
        num_conflict: float,
        paper_id: str,
        core: tuple | None,
    ) -> bool:
        """Does a sentence plainly contradict the claim (a check at full strength: scoped
        negation, a flipped direction, degree or quantifier, or a contradicted number)?"""
        words = self.known.expanded(paper_id, ef.stems) if core else ef.stems
        return num_conflict >= 1.0 or max(word_checks(cf, ef, core, words).values()) >= 1.0

    def ranked(
        self, cf: SentenceFacts, cwords: set[str], human: Sequence[Evidence], qvec: np.ndarray
    ) -> list[tuple]:
        """The candidates, best-aligned first, as (align, cosine, cover, number match, number
        conflict, evidence, its facts)."""
        cands = []
        for rank, e in enumerate(human):
            ef = self.known.evidence_facts(e)
            cos = self.searcher.cosine(e, qvec)
            cover = len(cwords & ef.stems) / max(1, len(cwords))
            match, conflict = numeric_agreement(cf, ef)
            # Carrying the claim's words and numbers beats a vaguely similar sentence.
            align = 0.5 * cos + cover + 0.6 * match + 0.3 * conflict - 0.02 * rank
            cands.append((align, cos, cover, match, conflict, e, ef))
        cands.sort(key=lambda c: -c[0])
        return cands

    # === Step 2: optional NLI cross-encoder on (evidence, claim) pairs ========================
    def _nli_probs(
        self, claim: str, evidence: Sequence[Evidence], best: Evidence | None, cover: float
    ) -> tuple[dict[str, float], np.ndarray] | None:
        """NLI features of the evidence the checks read and of the most decisive of the top
        human-written candidates, and that pair's probabilities (None without an NLI model)."""
        if not self.nli_name or best is None:
            return None
        others = [e.text for e in evidence if not e.machine_generated and e is not best][:4]
        feats, top = nli_features(self.nli_name, claim, best.text, others)
        feats["nli_contradict_x_cover"] = feats["nli_contradict"] * cover
        feats["nli_entail_x_cover"] = feats["nli_entail"] * cover
        return feats, top

    # === Step 3: label, confidence, rationale ================================================
    def verify_one(
        self,
        claim: str,
        claim_id: str = "",
        qvec: np.ndarray | None = None,
        exclude_papers: tuple[str, ...] = (),
        evidence: Sequence[Evidence] | None = None,
    ) -> Verdict:
        """Verify one claim; see :meth:`verify_many` for batches.

        ``evidence``: the claim's retrieved candidates when already searched (a batch search).
        """
        if not looks_english(claim):
            return self._nei(claim_id, claim, {"skipped": "claim is not in English"})
        if qvec is None:
            qvec = self.searcher.embedder.encode([claim])[0]
        evidence = self.candidates(claim, qvec, exclude_papers, evidence)
        feats, best, table_rows = self.features(claim, evidence, qvec)
        nli = self._nli_probs(claim, evidence, best, feats.get("cover", 0.0))
        if nli is not None:
            feats.update(nli[0])
        probs = self.calibrator.predict_proba(self.calibrator.vector(feats))
        if nli is not None and not self.calibrator.uses_nli:
            # No calibrator fitted with this NLI model: mix its log-probs in (uncalibrated).
            mixed = np.log(probs + 1e-9) + self.settings.nli_weight * np.log(nli[1] + 1e-9)
            probs = np.exp(mixed - mixed.max())
            probs /= probs.sum()
        label = LABELS[int(np.argmax(probs))]
        checks = {k: round(float(v), 4) for k, v in feats.items()}
        checks["probabilities"] = {
            lab: round(float(p), 4) for lab, p in zip(LABELS, probs, strict=True)
        }
        # Calibrated only for the encoder and the NLI model (or none) it was fitted with.
        fitted_for = self.calibrator.meta.get("embedding", self.searcher.embedder.stamp)
        checks["calibrated"] = (
            self.calibrator.fitted
            and fitted_for == self.searcher.embedder.stamp
            and self.calibrator.meta.get("nli", "") == self.nli_id
        )
        checks["machine_generated_ignored"] = sum(e.machine_generated for e in evidence)
        rationale: tuple[Evidence, ...] = ()
        if label != "NOT ENOUGH INFO" and best is not None:
            others = [
                e
                for e in evidence
                if not e.machine_generated
                and e is not best
                and self.searcher.cosine(e, qvec) >= max(0.75, feats["sim"] - 0.05)
            ]
            # A figure changed out of sight of retrieval: the paper's sentences stating another
            # value in its slot show the refutation.
            changed: list[Evidence] = []
            if label == "REFUTES" and feats.get("num_paper_conflict", 0.0) > 0.0:
                changed = self.known.slot_evidence(best.paper_id, facts(claim))
            # When two table cells decided a comparison, their rows are the rationale first.
            by_sentence: dict[int | None, Evidence] = {}
            for e in (*table_rows, *changed, best, *others):
                by_sentence.setdefault(e.sentence_id, e)
            rationale = tuple(by_sentence.values())[: self.settings.max_rationale]
        else:
            checks["nearest"] = [_brief(e) for e in evidence[:3]]
        return Verdict(
            claim_id=claim_id,
            claim=claim,
            label=label,
            confidence=round(float(probs.max()), 4),
            evidence=rationale,
            checks=checks,
            models=dict(self.models),
            settings_hash=self.settings_hash,
        )

    def _nei(self, claim_id: str, claim: str, checks: dict[str, object]) -> Verdict:
        return Verdict(
            claim_id=claim_id,
            claim=claim,
            label="NOT ENOUGH INFO",
            confidence=1.0 if "skipped" not in checks else 0.0,
            checks=checks,
            models=dict(self.models),
            settings_hash=self.settings_hash,
        )

    def verify_many(
        self,
        claims: Sequence[tuple[str, str]],
        exclude: Sequence[tuple[str, ...]] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Verdict]:
        """Verify (id, claim) pairs, embedding the claims in batches that a thread of their own
        runs ahead of the checks (the verdicts are those of :meth:`verify_one`, in input order).

        Args:
            claims: (claim id, claim text) pairs.
            exclude: per claim, paper ids whose sentences may not be evidence.
            progress: called with 1 after each claim.
        """
        out: list[Verdict | None] = [None] * len(claims)
        # The claims' vectors as the encoder finishes them (it runs ahead in a thread of its own),
        # searched and checked a group at a time: one matrix product per group.
        stream = self.searcher.embedder.encode_stream([c for _, c in claims])
        # Searched in groups smaller than the BM25 index's threshold: built here, once (while the
        # encoder is at work on the next batches).
        wants_bm25_index = len(claims) >= self.searcher.BM25_INDEX_MIN
        pending: list[tuple[int, np.ndarray]] = []
        # numpy's BLAS on one thread throughout: the encoder's thread needs the other core.
        with one_blas_thread():
            try:
                for idx, vecs in stream:
                    pending += zip(idx, vecs, strict=True)
                    if len(pending) >= self.MIN_GROUP:
                        if wants_bm25_index:
                            self.searcher.bm25_index()
                        for start in range(0, len(pending), self.SEARCH_CHUNK):
                            group = pending[start : start + self.SEARCH_CHUNK]
                            self._verify_group(claims, exclude, group, out, progress)
                        pending = []
                self._verify_group(claims, exclude, pending, out, progress)
            finally:
                stream.close()  # stops the encoder thread, writes the new vectors to the cache
        return out  # type: ignore[return-value]

    def _verify_group(
        self,
        claims: Sequence[tuple[str, str]],
        exclude: Sequence[tuple[str, ...]] | None,
        group: list[tuple[int, np.ndarray]],
        out: list[Verdict | None],
        progress: Callable[[int], None] | None,
    ) -> None:
        """Verify the claims at the group's indices (with their vectors) into ``out``."""
        if not group:
            return
        ex = [tuple(exclude[k]) if exclude else () for k, _ in group]
        vectors = np.stack([v for _, v in group])
        found = self.searcher.search_many([claims[k][1] for k, _ in group], vectors, ex)
        for j, (k, _) in enumerate(group):
            cid, text = claims[k]
            out[k] = self.verify_one(text, cid, vectors[j], ex[j], found[j])
            if progress:
                progress(1)


def _reworded(claim: str, sentence: str) -> float:
    """The sentence the claim copies, with two of its names trading roles or another name in
    one's place (registries aside: names the paper itself writes), another name at the end of a
    scale where the claim puts its own, or one of its names grouped with another partner than
    the claim gives it."""
    return max(
        role_swap(claim, sentence),
        slot_substitution(claim, sentence),
        holder_swap(claim, sentence),
        partner_swap(claim, sentence),
    )


def _brief(e: Evidence) -> dict[str, object]:
    return {
        "paper": e.paper_id,
        "page": e.page,
        "text": e.text,
        "score": e.score,
        "machine_generated": e.machine_generated,
    }


def verdict_json(v: Verdict) -> dict[str, object]:
    """The JSON line of a verdict: SciFact's shape plus provenance."""
    return {
        "id": v.claim_id,
        "claim": v.claim,
        "label": v.label,
        "confidence": v.confidence,
        "evidence": [
            {"paper": e.paper_id, "page": e.page, "section": e.section, "text": e.text,
             "sentence_id": e.sentence_id}
            for e in v.evidence
        ],
        "checks": v.checks,
        "models": v.models,
        "settings_hash": v.settings_hash,
    }  # fmt: skip

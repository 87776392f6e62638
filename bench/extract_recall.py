"""Claim-extraction recall against the claims a careful reader lists for each paper.

Usage (from the repo root):

    .venv/bin/python bench/extract_recall.py [--papers ../shared/data/papers]
        [--gold bench/claims_gold] [--json OUT.json] [--show-misses/--no-show-misses]
    .venv/bin/python bench/extract_recall.py --heldout      # bench/heldout/{papers,claims_gold}
    .venv/bin/python bench/extract_recall.py --no-budget    # every claim over --min-score
    .venv/bin/python bench/extract_recall.py --top 20       # the 20 best-scored per paper
    .venv/bin/python bench/extract_recall.py --lopo         # every listed set, leave-one-paper-out
    .venv/bin/python bench/extract_recall.py --hand         # the hand weights, no learned model
    .venv/bin/python bench/extract_recall.py --all-sets --hand   # --lopo's papers, hand weights

Each paper (a folder of ``--papers``, keyed by the folder name; or, with ``--heldout``, a .md/.txt/
.pdf file keyed by its stem) is ingested into a fresh temporary library the way ``claimlab ingest``
does, and its claims are extracted the way ``claimlab claims`` does (``library_claims`` with the
default ``ClaimSettings``). The gold list ``<gold>/<key>.jsonl`` holds one claim a line:
``{"paper", "page", "section", "quote", "type"}``, the quote a verbatim sentence of the paper.

Measures, per paper and over all papers:

- **recall**: a gold claim is recovered when one extracted claim covers at least ``--cover``
  (default 0.8) of the quote's normalised tokens (NFKC, lower-cased, words and numbers; counted
  as a multiset, so repeated words must be repeated). Every miss is printed, with the best
  extracted claim and whether the quote is a sentence of the library at all (a miss whose quote no
  stored sentence covers is a parsing/segmentation miss, not a selection miss).
- **extracted / sentences**: claims over the paper's prose sentences (body and abstract kinds)
  and over all its stored sentences: "without listing every sentence".
- **precision** (informative only: gold lists are not exhaustive): the share of extracted claims
  that cover a gold quote, or whose own tokens a gold quote covers, at the same threshold.
- **type agreement**: over recovered gold claims, the share whose extracted type equals the gold
  type.
- **ranking by score** (is ``score`` meaningful?): P@10, the share of a paper's 10 top-scored
  claims that match a gold claim (informative, like precision); R@N and R@2N, the recall of its
  N and 2N top-scored claims, N its number of gold claims. Over the listed claims, so under the
  default budget R@2N can be capped by it; ``--no-budget --min-score 0`` ranks every unit.
- **baselines** (what a user would otherwise take, same matching): every whole prose sentence,
  the whole sentences of the abstract/results/analysis/conclusion sections, the sentences that
  state a number; each with its recall and extracted/prose ratio.
- **--lopo** (leave-one-paper-out, the learned ranker's honest figure on the papers it is fitted
  on): every set with readers' lists (``scripts/fit_claim_ranker.py``'s ``gold_sets``: shared,
  dev, dev_more and the retired held-out sets; or ``--papers``/``--gold``) is measured, each
  paper's claims scored by a ranker fitted without it (L2 strength and listing line as the fit
  chooses them by leave-one-paper-out over all papers, chosen once); papers outside
  those sets get the active scoring (the hand weights when no ranker JSON is there). Also prints the budget trade-off table: recall and share of
  prose sentences listed per budget share and floor, and per ``min_score`` the cheapest budget
  with recall >= 0.8 (``--tradeoff`` prints them without ``--lopo`` too).
- **cut mid-sentence**: extracted claims that do not end with terminal punctuation, start in
  lower case, end on an abbreviation, or whose passage text goes on in lower case right after
  them (checked on the stored passage text, independently of the extractor). Must be 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.recall_match import (  # noqa: E402  (re-exported: scripts and tests read them here)
    best_cover,
    coverage,
    cut_mid_sentence,
    same_claim,
    tokens,
)
from bench.recall_report import FLOORS, SHARES, print_tradeoff, report  # noqa: E402
from synth.claim_ranker import ClaimRanker, use_ranker  # noqa: E402
from synth.claims import (  # noqa: E402
    PROSE_KINDS,
    ClaimSettings,
    extract_claims,
    library_claims,
    paper_budget,
)
from synth.ingest import ingest  # noqa: E402
from synth.library import Library  # noqa: E402
from synth.records import Claim  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402

HELDOUT = REPO / "bench" / "heldout"


# --- per paper ----------------------------------------------------------------------------------
def read_gold(path: Path) -> list[dict]:
    """The gold claims of one paper (bad lines are reported and skipped)."""
    gold = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            print(f"{path}:{n}: not JSON, skipped", file=sys.stderr)
            continue
        if item.get("quote"):
            gold.append(item)
    return gold


def score_paper(lib: Library, paper_id: str, claims: list[Claim], gold: list[dict], cover: float):
    """Every measure for one paper, with its misses."""
    sentences = lib.sentences(paper_id=paper_id)
    sent_toks = [tokens(s.text) for s in sentences]
    claim_toks = [tokens(c.text) for c in claims]
    gold_toks = [tokens(g["quote"]) for g in gold]
    # === recall and type agreement
    hits, misses, same_type, typed = 0, [], 0, 0
    for g, gt in zip(gold, gold_toks, strict=True):
        c, i = best_cover(gt, claim_toks)
        if c >= cover:
            hits += 1
            if g.get("type"):
                typed += 1
                same_type += g["type"] == claims[i].type
            continue
        in_lib, _ = best_cover(gt, sent_toks)
        misses.append({
            "quote": g["quote"], "type": g.get("type"), "section": g.get("section"),
            "page": g.get("page"), "best_claim_cover": round(c, 3),
            "best_claim": claims[i].text if i >= 0 else None,
            "sentence_in_library": in_lib >= cover, "best_sentence_cover": round(in_lib, 3),
        })  # fmt: skip
    # === precision (gold lists are not exhaustive: informative only)
    is_gold = [any(same_claim(gt, ct, cover) for gt in gold_toks) for ct in claim_toks]
    matched = sum(is_gold)
    ranked = ranking(claims, claim_toks, gold_toks, is_gold, cover)
    # === whole sentences
    passages = lib.passages(paper_id)
    by_id = {s.sentence_id: s for s in sentences}
    cut = []
    for c in claims:
        if why := cut_mid_sentence(c, passages, by_id):
            cut.append({"claim": c.text, "why": why})
    prose = sum(s.kind in PROSE_KINDS for s in sentences)
    return {
        "gold": len(gold), "extracted": len(claims), "sentences": len(sentences),
        "prose_sentences": prose, "recovered": hits,
        "recall": round(hits / len(gold), 4) if gold else None,
        "ratio_prose": round(len(claims) / prose, 4) if prose else None,
        "ratio_all": round(len(claims) / len(sentences), 4) if sentences else None,
        "precision": round(matched / len(claims), 4) if claims else None,
        "type_agreement": round(same_type / typed, 4) if typed else None,
        "typed": typed, "same_type": same_type,
        "types_extracted": dict(Counter(c.type for c in claims)),
        "cut_mid_sentence": len(cut), "cut": cut, "misses": misses, **ranked,
    }  # fmt: skip


def ranking(
    claims: list[Claim],
    claim_toks: list[Counter[str]],
    gold_toks: list[Counter[str]],
    is_gold: list[bool],
    cover: float,
) -> dict:
    """How well ``score`` ranks: the claims sorted by score, best first (ties: reading order).

    ``precision_at_10``: the share of the top 10 that match a gold claim; ``recall_at_gold``:
    the share of gold claims recovered by the top N, N the number of gold claims (R-precision's
    recall side); ``recall_at_2gold``: the same with the top 2N.
    """
    order = sorted(range(len(claims)), key=lambda i: -claims[i].score)

    def recall_top(n: int) -> float | None:
        top = [claim_toks[i] for i in order[:n]]
        return round(sum(best_cover(g, top)[0] >= cover for g in gold_toks) / len(gold_toks), 4)

    top10 = order[:10]
    return {
        "precision_at_10": round(sum(is_gold[i] for i in top10) / len(top10), 4) if top10 else None,
        "recall_at_gold": recall_top(len(gold_toks)) if gold_toks else None,
        "recall_at_2gold": recall_top(2 * len(gold_toks)) if gold_toks else None,
    }  # fmt: skip


# --- baselines: what a user would otherwise take -----------------------------------------------
BASELINE_SECTIONS = frozenset({"abstract", "results", "analysis", "conclusion", "contribution"})


def baselines(lib: Library, paper_id: str, gold: list[dict], cover: float) -> dict[str, dict]:
    """Recall and ratio of simple selections of the paper's whole prose sentences.

    ``all prose``: every whole sentence of body and abstract (the ceiling the parser allows);
    ``findings sections``: those in the abstract, results, analysis and conclusions (sections
    read with their chapters and what they say, as the extractor reads them);
    ``with numbers``: those stating a number.
    """
    from synth.claim_cues import section_kind
    from synth.claim_units import paper_units
    from synth.claims import paper_outline
    from synth.entities import parse_numbers

    passages = {p.passage_id: p for p in lib.passages(paper_id)}
    all_units = list(paper_units(lib.sentences(paper_id=paper_id), passages))
    outline = paper_outline(lib.sentences(paper_id=paper_id), all_units)
    units = [u for u in all_units if u.whole and u.sentence.kind in PROSE_KINDS]
    picks = {
        "all prose": units,
        "findings sections": [
            u
            for u in units
            if section_kind(u.sentence.section, u.sentence.kind, outline) in BASELINE_SECTIONS
        ],
        "with numbers": [u for u in units if parse_numbers(u.text)],
    }
    prose = sum(s.kind in PROSE_KINDS for s in lib.sentences(paper_id=paper_id))
    out = {}
    for name, chosen in picks.items():
        toks = [tokens(u.text) for u in chosen]
        found = sum(best_cover(tokens(g["quote"]), toks)[0] >= cover for g in gold)
        out[name] = {
            "extracted": len(chosen),
            "recall": round(found / len(gold), 4) if gold else None,
            "ratio_prose": round(len(chosen) / prose, 4) if prose else None,
        }
    return out


# --- the run ------------------------------------------------------------------------------------
def discover(papers: Path, heldout: bool) -> dict[str, Path]:
    """Paper key -> input for ``ingest``: folders (shared papers) or text/PDF files (held-out)."""
    if heldout:
        files = [p for p in sorted(papers.iterdir()) if p.suffix.lower() in (".md", ".txt", ".pdf")]
        return {p.stem: p for p in files}
    return {p.name: p for p in sorted(papers.iterdir()) if p.is_dir()}


_SHIPPED = object()  # a paper no LOPO ranker was fitted without: the shipped (active) one


def run(
    papers: Path,
    gold_dir: Path,
    heldout: bool,
    cover: float,
    settings: ClaimSettings | None = None,
    rankers: dict[str, ClaimRanker | None] | None = None,
) -> dict:
    """Ingest, extract and score every paper that has a gold list (default ClaimSettings).

    ``rankers``: the ranker each paper key is scored with (LOPO); others use the active one.
    """
    settings = settings or ClaimSettings()
    rankers = rankers or {}
    keys = discover(papers, heldout)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "library") as lib:
        # === Step 1: ingest each paper as `claimlab ingest` does, keeping its key
        ids = {}
        for key, path in keys.items():
            if not (gold_dir / f"{key}.jsonl").is_file():
                print(f"{key}: no gold list in {gold_dir}, skipped", file=sys.stderr)
                continue
            outcomes = [o for o in ingest(lib, [str(path)]) if not o.failed and o.paper_id]
            if not outcomes:
                print(f"{key}: could not be ingested, skipped", file=sys.stderr)
                continue
            ids[key] = outcomes[0].paper_id
        # === Step 2: extract as `claimlab claims` does (default settings) and score
        for key, pid in ids.items():
            gold = read_gold(gold_dir / f"{key}.jsonl")
            with _scored_by(rankers.get(key, _SHIPPED)):
                claims = library_claims(lib, pid, settings)
                unbudgeted = extract_claims(lib, pid, settings.model_copy(update=_NO_BUDGET))
            results[key] = {"paper_id": pid, **score_paper(lib, pid, claims, gold, cover)}
            results[key]["baselines"] = baselines(lib, pid, gold, cover)
            results[key]["unbudgeted"] = budget_curve(unbudgeted, gold, cover)
    return {
        "papers": results, "total": totals(results), "cover_threshold": cover,
        "settings_hash": settings.settings_hash(), "gold_dir": str(gold_dir),
        "min_score": settings.min_score, "top": settings.top,
        "budget": [settings.budget_share, settings.budget_floor],
    }  # fmt: skip


_NO_BUDGET = {"budget_share": 1.0, "budget_floor": 0, "top": None}


def _active() -> str:
    from synth.claim_ranker import ranker_identity

    who = ranker_identity()
    return "hand weights" if who == "hand" else f"ranker {who}"


def _scored_by(ranker: object):
    from contextlib import nullcontext

    return nullcontext() if ranker is _SHIPPED else use_ranker(ranker)  # type: ignore[arg-type]


def budget_curve(claims: list[Claim], gold: list[dict], cover: float) -> dict:
    """Gold claims recovered by the claims every (share, floor) budget keeps, by score."""
    toks = [tokens(c.text) for c in claims]
    gold_toks = [tokens(g["quote"]) for g in gold]
    # best rank (by score) at which each gold claim is first matched
    order = sorted(range(len(claims)), key=lambda i: (-claims[i].score, i))
    first = [
        next((r for r, i in enumerate(order) if coverage(g, toks[i]) >= cover), None)
        for g in gold_toks
    ]
    scores = sorted((c.score for c in claims), reverse=True)
    return {"first_rank": first, "candidates": len(claims), "scores": scores}


def tradeoff(results: dict[str, dict], min_score: float | None = None) -> list[dict]:
    """Recall and share of prose listed for each budget share and floor, over the papers.

    ``min_score``: also drop claims scoring under it (they were extracted with a lower one).
    """
    rows = []
    for floor in FLOORS:
        for share in SHARES:
            settings = ClaimSettings(budget_share=share, budget_floor=floor)
            found = gold = listed = prose = 0
            worst = 1.0
            for r in results.values():
                curve = r["unbudgeted"]
                above = (
                    sum(s >= (min_score or 0.0) for s in curve.get("scores", []))
                    if (min_score is not None)
                    else curve["candidates"]
                )
                budget = min(paper_budget(r["prose_sentences"], settings), above)
                hit = sum(f is not None and f < budget for f in curve["first_rank"])
                found, gold = found + hit, gold + r["gold"]
                listed += min(budget, curve["candidates"])
                prose += r["prose_sentences"]
                if r["gold"]:
                    worst = min(worst, hit / r["gold"])
            rows.append({
                "share": share, "floor": floor, "min_score": min_score,
                "recall": round(found / gold, 4) if gold else None,
                "ratio_prose": round(listed / prose, 4) if prose else None,
                "min_paper_recall": round(worst, 4),
            })  # fmt: skip
    return rows


MIN_SCORES = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)


def cheapest(results: dict[str, dict], floor_score: float, target: float = 0.8) -> list[dict]:
    """Per min_score: the budget listing the smallest share of prose with recall >= target.

    ``floor_score``: the min_score the claims were extracted with (lower ones add nothing).
    """
    out = []
    for ms in sorted({floor_score, *(m for m in MIN_SCORES if m > floor_score)}):
        ok = [r for r in tradeoff(results, ms) if r["recall"] and r["recall"] >= target]
        if ok:
            out.append(min(ok, key=lambda r: (r["ratio_prose"], -r["recall"])))
    return out


def lopo_rankers() -> dict[str, ClaimRanker]:
    """Per paper key with a gold list (``gold_sets``): a ranker fitted on every other paper.

    Its L2 strength and listing line are those ``scripts/fit_claim_ranker.py`` chooses by
    leave-one-paper-out over all the papers (chosen once: nesting the choice inside each left-out
    paper costs 80 x 7 x 80 fits; the choice is flat over the grid, see the fit's table).
    """
    from scripts.fit_claim_ranker import build_dataset, choose_c, choose_line, lopo_probabilities
    from synth.claim_ranker import fit_ranker

    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "library") as lib:
        data = build_dataset(lib)
    c, _ = choose_c(data)
    line, _ = choose_line(data, lopo_probabilities(data, c))
    rankers = {}
    for key in sorted(data.gold):
        rest = data.without(key)
        rankers[key] = fit_ranker(rest.rows, rest.labels, c, {"c": c, "left_out": key}, line)
    return rankers


def totals(results: dict[str, dict]) -> dict:
    """Micro totals over papers, and the lowest per-paper recall."""
    s = {k: sum(r[k] for r in results.values()) for k in
         ("gold", "recovered", "extracted", "prose_sentences", "sentences", "cut_mid_sentence",
          "typed", "same_type")}  # fmt: skip
    recalls = [r["recall"] for r in results.values() if r["recall"] is not None]
    for k in ("recall_at_gold", "recall_at_2gold"):  # micro: recovered in the top N over gold
        hit = sum(r[k] * r["gold"] for r in results.values() if r[k] is not None)
        s[k] = round(hit / s["gold"], 4) if s["gold"] else None
    return {
        **s,
        "recall": round(s["recovered"] / s["gold"], 4) if s["gold"] else None,
        "min_paper_recall": min(recalls) if recalls else None,
        "type_agreement": round(s["same_type"] / s["typed"], 4) if s["typed"] else None,
        "ratio_prose": round(s["extracted"] / s["prose_sentences"], 4)
        if s["prose_sentences"]
        else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=Path, default=None, help="default ../shared/data/papers")
    ap.add_argument("--gold", type=Path, default=None, help="default bench/claims_gold")
    ap.add_argument("--heldout", action="store_true", help="use bench/heldout/{papers,claims_gold}")
    ap.add_argument("--cover", type=float, default=0.8, help="token coverage for a match")
    ap.add_argument("--json", type=Path, default=None, help="write the full results here")
    ap.add_argument(
        "--min-score",
        type=float,
        default=None,
        help="extract with this threshold instead of the default (the recall/ratio trade-off)",
    )
    ap.add_argument("--top", type=int, default=None, help="exactly the N best-scored per paper")
    ap.add_argument("--no-budget", action="store_true", help="every claim over --min-score")
    ap.add_argument("--budget-share", type=float, default=None, help="share of prose sentences")
    ap.add_argument("--budget-floor", type=int, default=None, help="claims every paper may list")
    ap.add_argument("--show-misses", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--lopo", action="store_true", help="leave-one-paper-out rankers (see above)")
    ap.add_argument("--hand", action="store_true", help="score with the hand weights only")
    ap.add_argument("--tradeoff", action="store_true", help="print the budget trade-off table")
    ap.add_argument("--shared-dev", action="store_true", help="shared + dev sets in one table")
    ap.add_argument("--all-sets", action="store_true", help="every set with readers' lists")
    args = ap.parse_args()
    if args.all_sets or (args.lopo and not (args.papers or args.gold or args.heldout)):
        from scripts.fit_claim_ranker import gold_sets

        sets = gold_sets()  # shared, dev, dev_more and the retired held-out sets
    elif args.shared_dev:
        from scripts.fit_claim_ranker import gold_sets

        sets = gold_sets(retired=False)
    elif args.heldout:
        sets = [(args.papers or HELDOUT / "papers", args.gold or HELDOUT / "claims_gold", True)]
    else:
        papers = args.papers or resolve_data_dir() / "papers"
        sets = [(papers, args.gold or REPO / "bench" / "claims_gold", False)]
    for papers, gold, _ in sets:
        if not papers.is_dir() or not gold.is_dir():
            sys.exit(f"{papers if not papers.is_dir() else gold}: no such folder")
    given = {"min_score": args.min_score, "top": args.top, "budget_share": args.budget_share,
             "budget_floor": args.budget_floor}  # fmt: skip
    if args.no_budget:
        given.update(budget_share=1.0, budget_floor=0)
    settings = ClaimSettings(**{k: v for k, v in given.items() if v is not None})
    rankers: dict[str, ClaimRanker | None] = (
        dict(lopo_rankers()) if args.lopo and not args.hand else {}
    )
    runs = []
    for papers, gold, files in sets:
        with use_ranker(None) if args.hand else _scored_by(_SHIPPED):
            runs.append(run(papers, gold, files, args.cover, settings, rankers))
    out = runs[0]
    if len(runs) > 1:  # one table over the sets
        merged = {k: v for r in runs for k, v in r["papers"].items()}
        gold_dirs = " + ".join(r["gold_dir"] for r in runs)
        out = {**out, "papers": merged, "total": totals(merged), "gold_dir": gold_dirs}
    out["scoring"] = "hand weights" if args.hand else "LOPO rankers" if args.lopo else _active()
    report(out, args.show_misses)
    if args.lopo or args.tradeoff:
        out["tradeoff"] = tradeoff(out["papers"])
        print_tradeoff(out["tradeoff"], out["scoring"])
        out["cheapest"] = cheapest(out["papers"], settings.min_score)
        for r in out["cheapest"]:
            print(f"min_score {r['min_score']}: share {r['share']} floor {r['floor']} -> recall "
                  f"{r['recall']:.3f} listing {r['ratio_prose']:.2f} of prose "
                  f"(min paper {r['min_paper_recall']:.2f})")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

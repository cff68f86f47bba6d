"""``biomine rules check|explain|docs``: lint the rule files, run their examples, show what a rule does."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import reports_errors, rules_app


@rules_app.command("check")
@reports_errors
def check(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every example, not only failures."),
    model: Optional[str] = typer.Option(None, "--model", help="Trained pipeline for syntactic rules ('none': rules only)."),
) -> None:
    """Validate every file in patterns/ and run every rule and site example; exit 1 on a failure."""
    from pipeline.entities.site_patterns import SitePatterns
    from pipeline.relations.examples import run_example
    from pipeline.resources import patterns_dir
    from pipeline.runner import Processor

    processor = Processor(model=model)  # loading validates grammar, macros, relation types, modality, rules, dictionaries
    parsed = processor.nlp.get_pipe("biomine_syntax_v1").trained is not None
    extractor = processor.nlp.get_pipe("biomine_relations_v1").extractor
    counts = {"ok": 0, "FAIL": 0, "xfail": 0, "xpass": 0}
    counts["skipped"] = 0
    for rule in extractor.rules:
        for example in rule.examples:
            if rule.syntax is not None and not parsed:
                counts["skipped"] += 1
                continue
            result = run_example(processor, rule, example)
            counts[result.status] += 1
            if verbose or result.status in ("FAIL", "xpass"):
                reason = result.message or (f"known miss: {result.xfail}" if result.xfail else "")
                typer.echo(f"{result.status:5} {rule.id}: {example['text']}" + (f"\n      {reason}" if reason else ""))
    sites = SitePatterns.load(patterns_dir() / "entities" / "sites.yml")
    for pattern in sites.patterns:
        for example in pattern.examples:
            got = sites.check_example(pattern, example)
            ok = got == [tuple(m) for m in example.match]
            counts["ok" if ok else "FAIL"] += 1
            if verbose or not ok:
                typer.echo(f"{'ok' if ok else 'FAIL':5} {pattern.id}: {example.text}" + ("" if ok else f"\n      got {got}"))
    typer.echo(f"{len(extractor.rules)} relation rules, {len(sites.patterns)} site patterns: "
               + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if counts["FAIL"] or counts["xpass"]:
        raise typer.Exit(1)


@rules_app.command("explain")
@reports_errors
def explain(
    rule_id: str = typer.Argument(..., help="A rule id, e.g. phosphorylation.active."),
    text: Optional[str] = typer.Argument(None, help="A sentence to try the rule on."),
    model: Optional[str] = typer.Option(None, "--model", help="Trained pipeline for syntactic rules ('none': rules only)."),
) -> None:
    """Show a rule: its description, pattern, compiled form and examples, and what it finds in TEXT."""
    from pipeline.errors import PatternError
    from pipeline.model import Document
    from pipeline.relations.dependency import PARSES_KEY
    from pipeline.relations.elements import build_elements, encode
    from pipeline.relations.examples import rule_triples, run_example
    from pipeline.runner import Processor

    processor = Processor(model=model)
    extractor = processor.nlp.get_pipe("biomine_relations_v1").extractor
    rule = next((r for r in extractor.rules if r.id == rule_id), None)
    if rule is None:
        close = [r.id for r in extractor.rules if rule_id.split(".")[0] in r.id][:8]
        raise PatternError("E310", rule=rule_id, detail=f"; similar: {', '.join(close)}" if close else "")
    typer.echo(f"{rule.id}  ({rule.relation}, {rule.source})\n\n{rule.description}\n")
    typer.echo(f"pattern:\n  {rule.pattern}\n\nexpanded (macros and lemmas):\n  {rule.expanded}\n")
    if rule.surface:
        typer.echo(f"compiled regular expression:\n  {rule.regex.pattern}\n")
    else:
        trigger = rule.syntax.trigger
        typer.echo(f"syntactic rule; trigger words: {', '.join(sorted(trigger.words))}"
                   + (f"; voice: {trigger.voice}" if trigger.voice else "") + "\n")
    typer.echo("examples:")
    for example in rule.examples:
        result = run_example(processor, rule, example)
        typer.echo(f"  {result.status:5} {example['text']}  -> {example.get('expect') or 'nothing'}")
    if text:
        found, _entities = rule_triples(processor, rule, text)
        processed = processor.process(Document("text", text), keep_doc=True)
        typer.echo("\nsentence elements:")
        for sentence in processed.sentences:
            ents = [e for e in processed.entities if e.sentence == sentence.index and e.rule != "coref:pronoun"]
            typer.echo("  " + encode(build_elements(text, sentence, ents)))
        for index, parse in sorted((processed.spacy_doc.user_data.get(PARSES_KEY) or {}).items()):
            typer.echo(f"\nparse of sentence {index}:")
            for tok in parse:
                typer.echo(f"  {tok.i:3} {tok.text:20} {tok.tag_:5} {tok.dep_:10} <- {tok.head.i} {tok.head.text}")
        typer.echo("\nthis rule finds:" if found else "\nthis rule finds nothing here.")
        for rel in found:
            flags = " ".join(f for f, on in (("negated", rel.negated), ("hedged", rel.hedged)) if on)
            typer.echo(f"  {rel.relation}: {rel.subject.text if rel.subject else '-'} -> {rel.object.text}"
                       + (f" @ {rel.site.text}" if rel.site else "") + (f"  [{flags}]" if flags else ""))


@rules_app.command("docs")
@reports_errors
def docs(out: Path = typer.Option(Path("docs/patterns.md"), "--out", "-o", help="Where to write the reference.")) -> None:
    """Rewrite the language reference table in docs/patterns.md from the compiler's token table."""
    from pipeline.relations.docs import write_reference

    typer.echo(f"wrote {write_reference(out)}")

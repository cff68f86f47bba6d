"""GENIA Treebank constituency XML -> labelled dependency trees (spaCy/ClearNLP-style labels).

Why our own converter: the relation rules read ``nsubj``/``dobj``/``agent``/``relcl``/``conj``
arcs, and the treebank's function tags (SBJ, LGS, PRD) and null elements (T, RNR, NONE)
say more about them than a purely structural head finder can. The conversion is:

1. read a ``<sentence>`` into a tree of ``Node`` (tokens keep their surface order and spacing);
2. resolve null elements: a wh-phrase (``T``), an extraposed constituent (``ICH``) and a
   right-node-raised constituent (``RNR``, at its *first* trace) are moved into the trace's
   slot, so they get the grammatical function of the slot; controlled-subject traces
   (``NONE`` SBJ with a ``ref``) are recorded as understood subjects; all other nulls vanish;
3. find heads bottom-up with Collins (1999, appendix A) style priority lists, changed the way
   Stanford dependencies change them (de Marneffe, MacCartney & Manning 2006): content verbs
   head their auxiliaries, prepositions head their objects, the first conjunct heads a
   coordination; unlike Stanford, copular *be* stays the head of its predicate (spaCy's
   English convention: ``attr``/``acomp``);
4. label each non-head child from (parent category, child category, function tag, POS).

Documented in ``docs/dependencies.md``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

# GENIA writes punctuation tags as names; spaCy's English tagger uses the PTB symbols.
GENIA_TO_PTB = {"PERIOD": ".", "COMMA": ",", "COLON": ":", "LRB": "-LRB-", "RRB": "-RRB-",
                "LQT": "``", "RQT": "''", "PRPP": "PRP$", "WPP": "WP$"}
PUNCT_TAGS = {".", ",", ":", "-LRB-", "-RRB-", "``", "''", "HYPH", "NFP"}
NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "FW", "SYM"}
ADJ_TAGS = {"JJ", "JJR", "JJS"}
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"}
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
BE = {"be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re"}
GET = {"get", "gets", "got", "gotten", "getting"}
AUX_WORDS = BE | GET | {"have", "has", "had", "having", "do", "does", "did"}
NEG_WORDS = {"not", "n't", "never"}
PRECONJ_WORDS = {"both", "either", "neither", "whether"}
ADVERBIAL_SUBORDINATORS = {"because", "although", "though", "while", "whereas", "when", "since", "after", "before",
                           "unless", "until", "once", "as", "than", "so", "whenever", "wherever", "whilst",
                           "upon", "despite", "till"}
CLAUSES = {"S", "SINV", "SQ", "SBARQ"}
NOMINALS = {"NP", "NX", "NAC", "WHNP"}
MOVED_NULLS = {"T", "ICH"}  # plus RNR, moved to its first trace
PP_HEAD_TAGS = ("IN", "TO", "VBG", "VBN", "RP", "FW", "RB", "JJ")
NP_HEAD_TAGS = {"NN", "NNS", "NNP", "NNPS", "NX", "FW", "JJR", "PRP", "WP", "EX", "SYM"}


@dataclass(eq=False)
class Node:
    """A constituent (``cat`` = phrase label) or a token (``word`` set, ``cat`` = PTB tag)."""

    cat: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)
    word: str | None = None
    index: int = -1
    parent: "Node | None" = None
    wh_clause: bool = False  # an SBAR that had a wh-operator (overt or ZERO): a relative/wh clause
    head: "Node | None" = None  # head child (constituents)
    lex: "Node | None" = None  # lexical head token

    @property
    def is_token(self) -> bool:
        return self.word is not None

    @property
    def role(self) -> str:
        return self.attrs.get("role", "")

    @property
    def null(self) -> str:
        return self.attrs.get("null", "")

    def tokens(self) -> Iterator["Node"]:
        if self.is_token:
            yield self
        for child in self.children:
            yield from child.tokens()

    def nodes(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.nodes()


@dataclass
class Sentence:
    """One converted sentence: gold tokens with spacing, PTB tags, heads (sentence-local) and labels."""

    pmid: str
    sid: str
    words: list[str]
    spaces: list[bool]
    tags: list[str]
    heads: list[int]
    deps: list[str]
    understood: dict[int, int] = field(default_factory=dict)  # controlled verb -> trace antecedent token
    parsed: bool = True  # False for the treebank's few unbracketed (flat) sentences: tags only

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces)).rstrip()


# ---------------------------------------------------------------- reading

def read_tree(elem: ET.Element) -> tuple[Node, list[Node]]:
    """The tree under a ``<sentence>`` element and its tokens in order, with ``space_after`` in attrs."""
    tokens: list[Node] = []

    def build(e: ET.Element) -> Node:
        if e.tag == "tok":
            tag = e.get("cat", "")
            tok = Node(cat=GENIA_TO_PTB.get(tag, tag), word=e.text or "", index=len(tokens))
            tokens.append(tok)
            return tok
        node = Node(cat=e.get("cat", "X"), attrs={k: v for k, v in e.attrib.items() if k != "cat"})
        for child in e:
            c = build(child)
            c.parent = node
            node.children.append(c)
        node.wh_clause = node.cat == "SBAR" and any(c.cat.startswith("WH") for c in node.children)
        return node

    root = Node(cat="ROOT")
    for child in elem:
        c = build(child)
        c.parent = root
        root.children.append(c)
    # spacing: any whitespace between two tokens in document order
    spaces = [False] * len(tokens)
    seen = -1

    def walk(e: ET.Element) -> None:
        nonlocal seen
        if e.tag == "tok":
            seen += 1
        elif e.text and e.text.isspace() and seen >= 0:
            spaces[seen] = True
        for child in e:
            walk(child)
            if child.tail and child.tail.isspace() and seen >= 0:
                spaces[seen] = True

    walk(elem)
    for tok, space in zip(tokens, spaces):
        tok.attrs["space"] = "1" if space else ""
    if tokens:
        tokens[-1].attrs["space"] = ""
    if len(root.children) == 1:
        only = root.children[0]
        only.parent = None
        return only, tokens
    root.cat = "S" if any(c.cat in CLAUSES | {"VP"} for c in root.children) else "FRAG"
    return root, tokens


# ---------------------------------------------------------------- null elements

def _replace(old: Node, new: Node) -> None:
    parent = old.parent
    assert parent is not None
    parent.children[parent.children.index(old)] = new
    new.parent = parent


def _detach(node: Node) -> None:
    if node.parent is not None:
        node.parent.children.remove(node)
        node.parent = None


def _ancestors(node: Node) -> Iterator[Node]:
    while node.parent is not None:
        node = node.parent
        yield node


def resolve_nulls(root: Node) -> dict[Node, Node]:
    """Move T/ICH antecedents and RNR shared constituents into their (first) trace; drop the other nulls.

    Returns the controlled clauses: S node -> antecedent node of its null (NONE) subject.
    """
    ids = {n.attrs["id"]: n for n in root.nodes() if "id" in n.attrs}
    for node in root.nodes():  # a passive participle's VP holds the object trace: [VP localized *NONE* to X]
        if node.cat == "VP" and any(c.null == "NONE" and c.cat == "NP" for c in node.children):
            node.attrs["passive"] = "1"
    controlled: dict[Node, Node] = {}
    for node in list(root.nodes()):
        if node.null == "NONE" and node.role == "SBJ" and node.attrs.get("ref") in ids and node.parent is not None:
            antecedent = ids[node.attrs["ref"]]
            for _ in range(len(ids)):  # a chain of traces (T -> WHNP, NONE -> NONE) ends at an overt phrase
                if not antecedent.null or antecedent.attrs.get("ref") not in ids:
                    break
                antecedent = ids[antecedent.attrs["ref"]]
            if not antecedent.null:
                controlled[node.parent] = antecedent
    moved: set[str] = set()
    for trace in [n for n in root.nodes() if n.null in MOVED_NULLS | {"RNR"}]:
        ref = trace.attrs.get("ref")
        antecedent = ids.get(ref) if ref else None
        if antecedent is None or ref in moved or antecedent.null or trace.parent is None:
            continue
        if antecedent in set(_ancestors(trace)) or antecedent.parent is None:
            continue
        moved.add(ref)
        _detach(antecedent)
        if trace.role and not antecedent.role:
            antecedent.attrs["role"] = trace.role
        antecedent.attrs["moved"] = trace.null
        _replace(trace, antecedent)
    _prune(root)
    return controlled


def _prune(node: Node) -> bool:
    """Remove null and token-less constituents; True if ``node`` itself is empty."""
    if node.is_token:
        return False
    node.children = [c for c in node.children if not (c.null or _prune(c))]
    return not node.children


# ---------------------------------------------------------------- heads

def _first(children: Sequence[Node], cats: Sequence[str], reverse: bool = False) -> Node | None:
    order = list(reversed(children)) if reverse else list(children)
    for cat in cats:
        for child in order:
            if child.cat == cat:
                return child
    return None


def _is_punct(node: Node) -> bool:
    return node.is_token and node.cat in PUNCT_TAGS


def is_coordination(node: Node) -> bool:
    """GENIA marks coordinations ``syn="COOD"``; unmarked ones still have a coordinator between phrases."""
    kids = [c for c in node.children if not _is_punct(c)]
    if node.cat in {"CONJP"} or len(kids) < 2:
        return False
    if node.attrs.get("syn") == "COOD":
        return True
    for i, c in enumerate(kids[1:-1], start=1):
        if c.cat in {"CC", "CONJP"} and not kids[i - 1].is_token and not kids[i + 1].is_token:
            return True
    return node.cat == "QP" and any(c.cat == "CC" for c in kids[1:-1])


def _coordination_parts(node: Node) -> tuple[list[Node], dict[Node, str]]:
    """Conjuncts, and the label of every other child relative to the first conjunct."""
    conjuncts: list[Node] = []
    others: dict[Node, str] = {}
    for child in node.children:
        word = (child.word or "").lower()
        if _is_punct(child):
            others[child] = "punct"
        elif child.cat in {"CC", "CONJP"} or (child.cat == "DT" and not conjuncts):
            if not conjuncts and (word in PRECONJ_WORDS or child.cat == "CC"):
                others[child] = "preconj"
            elif child.cat == "DT":
                others[child] = "det"
            else:
                others[child] = "cc"
        elif child.cat in {"ADVP", "RB"} and node.cat not in {"ADVP"} and conjuncts:
            others[child] = "neg" if word in NEG_WORDS else "advmod"
        elif child.cat == "PRN" and conjuncts:
            others[child] = "prn"
        else:
            conjuncts.append(child)
    return conjuncts, others


def _aux_head(node: Node) -> Node | None:
    """In a VP whose verbs before a VP child are auxiliaries (MD, to, be, have, do, get), that VP is the head."""
    vp = next((c for c in node.children if c.cat == "VP"), None)
    if vp is None:
        return None
    before = node.children[: node.children.index(vp)]
    verbs = [c for c in before if c.is_token and (c.cat in VERB_TAGS or c.cat == "TO")]
    if verbs and all(c.cat in {"MD", "TO"} or c.word.lower() in AUX_WORDS for c in verbs):
        return vp
    return None


def _np_head(node: Node) -> Node:
    kids = [c for c in node.children if not _is_punct(c) and c.cat not in {"POS", "PRN"}] or node.children
    if kids[-1].attrs.get("moved") == "RNR" and kids[-1].cat in NOMINALS and len(kids) > 1:
        return kids[-1]  # "[transient expression *RNR*] and [shift *RNR*] assays": the raised noun is the head
    # A phrasal post-modifier (PP, SBAR, VP...) closes the noun group: the head is before it.
    for i, c in enumerate(kids):
        if i and c.cat in {"PP", "SBAR", "VP", "S", "RRC", "ADVP"} and not c.is_token:
            if any(k.is_token or k.cat in NOMINALS for k in kids[:i]):
                kids = kids[:i]
            break
    for child in reversed(kids):
        if child.cat in NP_HEAD_TAGS:
            return child
    found = _first(kids, ["NP", "WHNP"])
    if found is not None:
        return found
    for cats in (["CD", "QP"], ["ADJP", "JJ", "JJS", "VBN", "VBG", "RB", "DT", "WDT", "PDT", "$"]):
        found = _first(kids, cats, reverse=True)
        if found is not None:
            return found
    return kids[-1]


def _adj_head(node: Node, tags: set[str], phrase: str) -> Node:
    kids = [c for c in node.children if not _is_punct(c)] or node.children
    for i, c in enumerate(kids):  # head is before its complements
        if i and c.cat in {"PP", "S", "SBAR", "WHPP"}:
            kids = kids[:i]
            break
    for child in reversed(kids):
        if child.is_token and child.cat in tags:
            return child
    found = _first(kids, [phrase], reverse=True)
    if found is not None:
        return found
    for child in reversed(kids):
        if child.is_token and child.cat in ADJ_TAGS | {"RB", "RBR", "RBS", "VBN", "VBG", "NN", "NNS", "CD", "FW", "IN"}:
            return child
    return kids[-1]



def head_child(node: Node) -> Node:
    """The head child: Collins (1999) priorities, with Stanford's content-word changes (see module doc)."""
    kids = node.children
    content = [c for c in kids if not _is_punct(c)] or kids
    cat = node.cat
    if len(kids) == 1:
        return kids[0]
    if is_coordination(node):
        conjuncts, _ = _coordination_parts(node)
        return conjuncts[0] if conjuncts else content[0]
    if cat in NOMINALS:
        return _np_head(node)
    if cat == "VP":
        aux = _aux_head(node)
        if aux is not None:
            return aux
        # GENIA tags some participles JJ ("was localized/JJ *NONE* to"): still the head of their VP
        for tags in (VERB_TAGS - {"MD"}, {"MD", "TO"}, ADJ_TAGS | {"NN", "RB"}):
            for c in content:
                if c.is_token and c.cat in tags:
                    return c
        return _first(content, ["VP", "ADJP", "NP", "PP", "S", "SBAR"]) or content[0]
    if cat in CLAUSES:
        found = _first(content, ["VP"])
        if found is not None:
            return found
        prd = next((c for c in content if c.role == "PRD"), None)
        if prd is not None:
            return prd
        # "[S [S-ADV To test this] , [S we used X]]": the main clause is the S without an adverbial function
        clauses = [c for c in content if c.cat in CLAUSES]
        main = [c for c in clauses if not c.attrs.get("func") and not c.attrs.get("adv")]
        if main or clauses:
            return (main or clauses)[0]
        return _first(content, ["SBAR", "ADJP", "UCP", "FRAG", "NP", "PP"]) or content[0]
    if cat == "SBAR":
        found = _first(content, ["S", "SINV", "SQ", "SBARQ", "SBAR", "FRAG", "VP"])
        if found is not None:
            return found
        phrases = [c for c in content if not c.is_token and not c.cat.startswith("WH")]
        return phrases[0] if phrases else content[0]
    if cat in {"PP", "WHPP"}:
        # the last preposition before the object ("because of X" -> of); "in response to X" is nested first
        obj = next((i for i, c in enumerate(content) if not c.is_token and c.cat not in {"ADVP", "PRN"}
                    and not c.attrs.get("func") and not c.attrs.get("adv")), len(content))
        ins = [c for c in content[:obj] if c.is_token and c.cat in {"IN", "TO"}]
        if ins:
            return ins[-1]
        ins = [c for c in content if c.is_token and c.cat in {"IN", "TO"}]
        if ins:
            return ins[0]
        preps = [c for c in content[:obj] if c.is_token and c.cat in PP_HEAD_TAGS]
        if preps:
            return preps[-1]
        return _first(content, ["PP", "WHPP", "ADVP", "NP", "SBAR", "S"]) or content[0]
    if cat in {"ADJP", "WHADJP"}:
        return _adj_head(node, ADJ_TAGS | {"VBN", "VBG"}, "ADJP")
    if cat in {"ADVP", "WHADVP"}:
        return _adj_head(node, {"RB", "RBR", "RBS", "WRB"}, "ADVP")
    if cat == "QP":
        return _first(content, ["CD"], reverse=True) or content[-1]
    if cat == "PRN":
        return next((c for c in content if not c.is_token), content[0])
    if cat == "PRT":
        return _first(content, ["RP"]) or content[0]
    if cat == "CONJP":
        return content[0]
    return next((c for c in content if not c.is_token), content[0])  # FRAG, UCP, LST, INTJ, X...


def _nest_flat_pp(node: Node) -> None:
    """GENIA writes "in the presence of X" flat; nest it as in [PP in [NP the presence [PP of X]]]."""
    kids = node.children
    toks = []
    for c in kids:
        if not c.is_token:
            break
        toks.append(c)
    if len(toks) < 3 or toks[0].cat not in {"IN", "TO"}:
        return
    later = [i for i, c in enumerate(toks) if i > 1 and c.cat in {"IN", "TO"}]
    if not later or not any(c.cat in NOUN_TAGS for c in toks[1:later[0]]):
        return
    k = later[0]
    inner_pp = Node(cat="PP", children=kids[k:])
    np = Node(cat="NP", children=list(toks[1:k]) + [inner_pp])
    for c in inner_pp.children:
        c.parent = inner_pp
    for c in np.children:
        c.parent = np
    np.parent = node
    node.children = [toks[0], np]


def assign_heads(node: Node) -> Node:
    """Set ``head`` and ``lex`` on every constituent, bottom-up; returns the lexical head token."""
    if node.is_token:
        node.lex = node
        return node
    if node.cat in {"PP", "WHPP"}:
        _nest_flat_pp(node)
    for child in node.children:
        assign_heads(child)
    node.head = head_child(node)
    node.lex = node.head.lex
    return node.lex


# ---------------------------------------------------------------- labels

def is_finite(node: Node) -> bool:
    """Whether a clause (S, SBAR, VP) has a finite verb or modal on its head spine."""
    cur = node
    while not cur.is_token:
        if cur.cat == "VP":  # the first verb of the VP chain decides: "is bound", "to bind", "binding"
            for c in cur.children:
                if c.is_token and c.cat in VERB_TAGS | {"TO"}:
                    return c.cat in FINITE_TAGS
        cur = cur.head
    return cur.cat in FINITE_TAGS


def _has_subject(clause: Node) -> bool:
    return any(c.role == "SBJ" for c in clause.children)


def _prn_label(node: Node, nominal_parent: bool) -> str:
    inner = node.head
    cat = inner.cat if inner is not None else ""
    if cat in NOMINALS or cat in NOUN_TAGS or cat in {"CD", "QP"}:
        return "appos" if nominal_parent else "npadvmod"
    if cat in {"PP"}:
        return "prep"
    if cat in {"ADJP"}:
        return "amod" if nominal_parent else "advcl"
    if cat in {"ADVP", "RB"}:
        return "advmod"
    if cat in CLAUSES | {"SBAR", "VP", "FRAG"}:
        return "parataxis"
    return "dep"


def _clause_dependent_label(dep: Node, in_vp: bool, preceded_by_comma: bool) -> str:
    """S/SBAR/VP dependents of verbs and clauses: xcomp, ccomp, advcl, parataxis."""
    if dep.attrs.get("func") == "ADV" or dep.attrs.get("adv"):
        return "advcl"
    if dep.cat == "SBAR":
        comp = next((c for c in dep.children if c.is_token and c.cat in {"IN", "DT", "WDT", "RB"}), None)
        if comp is not None and comp.word.lower() in ADVERBIAL_SUBORDINATORS:
            return "advcl"
        return "ccomp" if in_vp else "advcl"
    if dep.cat == "VP":
        return "xcomp" if in_vp else "advcl"
    # S
    if not in_vp:
        return "parataxis" if is_finite(dep) and _has_subject(dep) else "advcl"
    if preceded_by_comma:
        return "advcl"
    if _has_subject(dep) or is_finite(dep):
        return "ccomp"
    return "xcomp"


def _subject_label(dep: Node, passive: bool) -> str:
    if dep.cat in CLAUSES | {"SBAR"}:
        return "csubjpass" if passive else "csubj"
    if dep.lex.cat == "EX":
        return "expl"
    return "nsubjpass" if passive else "nsubj"


def _token_label(dep: Node, parent: Node, before_head: bool, passive_aux: bool) -> str:
    """Labels of single tokens that are not phrase heads."""
    tag, word = dep.cat, dep.word.lower()
    if tag in PUNCT_TAGS:
        return "punct"
    if word in NEG_WORDS and tag in {"RB", "DT"}:
        return "neg"
    if tag == "CC":
        return "cc"
    if tag == "POS":
        return "case"
    if parent.cat == "VP":
        if tag in {"MD", "TO"}:
            return "aux"
        if tag in VERB_TAGS and word in AUX_WORDS:
            return "auxpass" if passive_aux else "aux"
        if tag == "RP":
            return "prt"
        if tag in {"RB", "RBR", "RBS", "WRB"}:
            return "advmod"
        if tag in NOUN_TAGS | {"PRP", "CD"}:
            return "dobj"
        if tag in ADJ_TAGS:
            return "acomp"
        if tag in {"IN"}:
            return "prep"
        return "dep"
    if parent.cat in {"PP", "WHPP"}:
        if before_head:
            return "advmod" if tag in {"RB", "RBR", "JJ", "IN", "TO", "RBS"} else "npadvmod" if tag in NOUN_TAGS | {"CD"} else "dep"
        return "pobj" if tag in NOUN_TAGS | {"CD", "PRP", "WDT", "WP", "DT", "EX"} else "pcomp"
    if parent.cat == "QP":
        return "quantmod"
    if parent.cat == "SBAR":
        if tag in {"IN", "DT", "WDT", "TO", "RB"}:
            return "mark"
        return "dep"
    if parent.cat == "CONJP":  # "as well as", "but not", "rather than": one coordinator
        return "advmod" if tag in {"RB", "RBR", "JJ"} else "cc"
    if parent.cat in {"ADJP", "ADVP", "WHADJP", "WHADVP"}:
        if tag in {"RB", "RBR", "RBS", "WRB"}:
            return "advmod"
        if tag in NOUN_TAGS | {"CD"}:
            return "npadvmod"
        if tag in {"DT", "PDT"}:
            return "det"
        if tag in ADJ_TAGS | {"VBN", "VBG"}:
            return "amod" if parent.cat.endswith("ADJP") else "advmod"
        if tag in {"IN", "TO"}:
            return "advmod"  # "at least"
        return "dep"
    # nominal and everything else
    if tag in {"DT", "WDT"}:
        return "det"
    if tag == "PDT":
        return "predet"
    if tag in {"PRP$", "WP$"}:
        return "poss"
    if tag == "CD":
        return "nummod"
    if tag in ADJ_TAGS | {"VBN", "VBG"}:
        return "amod"
    if tag in NOUN_TAGS | {"PRP"}:
        return "compound" if before_head else "dep"
    if tag in {"RB", "RBR", "RBS"}:
        return "advmod"
    if tag in {"IN", "TO"}:
        return "prep"
    return "dep"


def _phrase_label(dep: Node, parent: Node, before_head: bool, passive: bool, siblings: list[Node]) -> str:
    """Labels of phrases (their lexical head token is the dependent)."""
    cat, role = dep.cat, dep.role
    pcat = parent.cat
    i = siblings.index(dep)
    comma_before = i > 0 and siblings[i - 1].is_token and siblings[i - 1].cat in {",", ":"}
    if role == "SBJ" and pcat in CLAUSES | {"VP"}:
        return _subject_label(dep, passive)
    if cat in {"PP", "WHPP"} and pcat == "VP" and _is_agent(dep, passive or bool(parent.attrs.get("passive"))):
        return "agent"
    if role == "DTV":
        return "dative"
    if cat == "PRN":
        return _prn_label(dep, pcat in NOMINALS)
    if cat in {"CONJP"}:
        return "cc"
    if cat in {"PP", "WHPP"}:
        if pcat in {"PP", "WHPP"}:
            return "pcomp" if not before_head else "advmod"
        return "prep"
    if pcat in {"PP", "WHPP"}:
        if before_head:
            return "npadvmod" if cat in NOMINALS | {"QP"} else "advmod"
        if cat in NOMINALS | {"QP"}:
            return "pobj"
        return "pcomp"
    if cat in {"ADVP", "WHADVP"}:
        return "neg" if dep.lex.word.lower() in NEG_WORDS else "advmod"
    if pcat == "VP":
        if cat in NOMINALS:
            if role == "PRD":
                return "attr"
            return "npadvmod" if dep.attrs.get("func") == "ADV" or dep.attrs.get("adv") else "dobj"
        if cat in {"ADJP", "WHADJP"}:
            return "acomp"
        if cat in CLAUSES | {"SBAR", "VP"}:
            return _clause_dependent_label(dep, True, comma_before)
        if cat == "PRT":
            return "prt"
        return "dep"
    if pcat in CLAUSES:
        if cat in NOMINALS:
            return "npadvmod"
        if cat in {"ADJP"}:
            return "advcl"
        if cat in CLAUSES | {"SBAR", "VP"}:
            return _clause_dependent_label(dep, False, comma_before)
        return "dep"
    if pcat in NOMINALS:
        if before_head:
            if cat in NOMINALS:
                return "poss" if any(c.cat == "POS" for c in dep.children) else "compound"
            if cat in {"ADJP", "VP"}:
                return "amod"
            if cat == "QP":
                return "nummod"
            return "dep"
        if cat in NOMINALS:
            return "npadvmod" if dep.attrs.get("func") == "ADV" or dep.attrs.get("adv") else "appos"
        if cat == "SBAR":
            return "relcl" if dep.wh_clause and is_finite(dep) else "acl"
        if cat in CLAUSES | {"VP", "RRC"}:
            return "acl"
        if cat in {"ADJP"}:
            return "amod"
        if cat == "QP":
            return "nummod"
        return "dep"
    if pcat in {"ADJP", "WHADJP", "ADVP", "WHADVP"}:
        if cat in NOMINALS | {"QP"}:
            return "npadvmod"
        if cat in {"S", "VP"}:
            return "xcomp" if pcat.endswith("ADJP") else "advcl"
        if cat == "SBAR":
            return "ccomp" if dep.children and dep.children[0].is_token and dep.children[0].word.lower() in {"that", "whether"} else "advcl"
        if cat in {"ADJP"}:
            return "amod" if pcat.endswith("ADJP") else "advmod"
        return "dep"
    if pcat == "SBAR":
        if cat in {"WHNP"}:
            return "dep"
        return "mark" if cat in {"IN"} else "dep"
    if pcat == "QP":
        return "quantmod"
    return "dep"


NOT_AGENTS = {"contrast", "means", "way", "comparison", "far", "itself", "themselves", "%", "percent"}


def _is_agent(pp: Node, passive_verb: bool) -> bool:
    """The by-phrase of a passive verb: GENIA's LGS, or any "by + NP" the annotators left unmarked.

    GENIA tags LGS on most passive by-phrases but not all ("blocked by PAF-receptor antagonist",
    "caused by hypoxia" are untagged in some abstracts), so the structural reading is used, as in
    spaCy's English models. Measures and fixed phrases ("by 48 %", "by 2-fold", "by means of",
    "by contrast") stay prep; LGS under a nominalization ("inhibition of X by Y") stays prep too.
    """
    if any(c.role == "LGS" for c in [pp] + pp.children):
        return True
    if not passive_verb or not pp.lex.is_token or pp.lex.word.lower() != "by":
        return False
    objects = [c for c in pp.children if c.cat in NOMINALS]
    if not objects:
        return False
    noun = objects[0].lex
    word = noun.word.lower()
    return noun.cat != "CD" and word not in NOT_AGENTS and not word.endswith("fold")


def _is_passive_aux(vp: Node) -> bool:
    """A be/get auxiliary over a VP headed by a past participle."""
    head = vp.head
    if head is None or head.cat != "VP" or (head.lex.cat != "VBN" and not head.attrs.get("passive")):
        return False
    return any(c.is_token and c.word.lower() in BE | GET for c in vp.children[: vp.children.index(head)])


def label_tree(root: Node) -> dict[Node, tuple[Node, str]]:
    """Every non-root token -> (head token, label)."""
    arcs: dict[Node, tuple[Node, str]] = {}
    passive: set[Node] = set()  # lexical heads of passive VPs
    for node in _postorder(root):
        if node.cat == "VP" and _is_passive_aux(node):
            passive.add(node.lex)
    for node in root.nodes():
        if node.is_token or node.head is None:
            continue
        head_tok = node.lex
        if is_coordination(node):
            conjuncts, others = _coordination_parts(node)
            first = node.head
            for child in node.children:
                if child is first:
                    continue
                if child in others:
                    label = others[child]
                    if label == "prn":
                        label = _prn_label(child, node.cat in NOMINALS)
                    target = head_tok
                    if label in {"advmod", "neg"}:  # "and thus X": the adverb goes with the next conjunct
                        nxt = [c for c in conjuncts if node.children.index(c) > node.children.index(child)]
                        target = nxt[0].lex if nxt else head_tok
                    arcs[child.lex] = (target, label)
                else:
                    arcs[child.lex] = (head_tok, "conj")
            continue
        head_pos = node.children.index(node.head)
        vp_passive_aux = node.cat == "VP" and _is_passive_aux(node)
        for i, child in enumerate(node.children):
            if child is node.head:
                continue
            before = i < head_pos
            if child.is_token:
                label = _token_label(child, node, before, vp_passive_aux)
            else:
                label = _phrase_label(child, node, before, head_tok in passive, node.children)
            arcs[child.lex] = (head_tok, label)
    _flat_coordination(root, arcs)
    return arcs


def _flat_coordination(root: Node, arcs: dict[Node, tuple[Node, str]]) -> None:
    """Flat "T and B cells" inside a nominal: B is conj of T, "and" its cc, both T and B modify the head."""
    for node in root.nodes():
        if node.is_token or node.cat not in NOMINALS | {"ADJP"} or is_coordination(node):
            continue
        kids = node.children
        for i, c in enumerate(kids):
            if c.is_token and c.cat == "CC" and 0 < i < len(kids) - 1:
                left, right = kids[i - 1], kids[i + 1]
                if left is node.head or right is node.head or _is_punct(left):
                    continue
                arcs[right.lex] = (left.lex, "conj")
                arcs[c] = (left.lex, "cc")


def _postorder(node: Node) -> Iterator[Node]:
    for child in node.children:
        yield from _postorder(child)
    yield node


def _flatten_uncoordinated_adjps(root: Node) -> None:
    """``[ADJP-COOD [ADJP useful] [ADJP diagnostic]] markers``: no coordinator, so stacked modifiers, not conj."""
    for node in list(root.nodes()):
        if node.cat == "ADJP" and node.attrs.get("syn") == "COOD" and node.parent is not None \
                and node.parent.cat in NOMINALS \
                and not any(c.cat in {"CC", "CONJP", ","} for c in node.children):
            parent = node.parent
            at = parent.children.index(node)
            parent.children[at:at + 1] = node.children
            for c in node.children:
                c.parent = parent


# ---------------------------------------------------------------- sentences and documents

def convert_sentence(elem: ET.Element, pmid: str = "", sid: str = "") -> Sentence | None:
    """One ``<sentence>`` element -> Sentence, or None if it has no tokens."""
    root, tokens = read_tree(elem)
    if not tokens:
        return None
    parsed = len(tokens) <= 3 or any(not c.is_token for c in root.children)
    controlled = resolve_nulls(root)
    _flatten_uncoordinated_adjps(root)
    assign_heads(root)
    arcs = label_tree(root)
    heads, deps = [], []
    for tok in tokens:
        if tok in arcs:
            head, label = arcs[tok]
            heads.append(head.index)
            deps.append(label)
        else:
            heads.append(tok.index)
            deps.append("ROOT")
    understood = {}
    for clause, antecedent in controlled.items():
        if clause.lex is not None and antecedent.lex is not None and _in_tree(clause, root) and _in_tree(antecedent, root):
            understood[clause.lex.index] = antecedent.lex.index
    understood = {v: _relative_noun(a, heads, deps, [t.cat for t in tokens]) for v, a in understood.items()}
    return Sentence(pmid=pmid, sid=sid, words=[t.word for t in tokens], spaces=[bool(t.attrs.get("space")) for t in tokens],
                    tags=[t.cat for t in tokens], heads=heads, deps=deps, understood=understood, parsed=parsed)


def _in_tree(node: Node, root: Node) -> bool:
    while node.parent is not None:
        node = node.parent
    return node is root


def _relative_noun(i: int, heads: Sequence[int], deps: Sequence[str], tags: Sequence[str]) -> int:
    """A relative pronoun stands for the noun its clause modifies."""
    if tags[i] in {"WDT", "WP"}:
        verb = heads[i]
        while deps[verb] in {"conj", "xcomp", "ccomp"} and heads[verb] != verb:
            verb = heads[verb]
        if deps[verb] in {"relcl", "acl"}:
            return heads[verb]
    return i


def read_document(path: Path) -> list[Sentence]:
    """All sentences (title first) of one treebank file."""
    tree = ET.parse(path)
    pmid = (tree.findtext(".//PMID") or path.stem).strip()
    out = []
    for elem in tree.getroot().iter("sentence"):
        sent = convert_sentence(elem, pmid, elem.get("id", ""))
        if sent is not None:
            out.append(sent)
    return out


def corpus_files(corpus: Path) -> list[Path]:
    """The treebank's XML files, sorted by PMID."""
    folder = corpus / "original-data" if (corpus / "original-data").is_dir() else corpus
    return sorted(folder.glob("*.xml"), key=lambda p: p.stem)


def from_string(xml: str) -> Sentence:
    """Convert one ``<sentence>...</sentence>`` snippet (tests, docs)."""
    sent = convert_sentence(ET.fromstring(xml))
    assert sent is not None
    return sent

"""Deterministic generator of realistic, syntactically valid ``.plan`` sources.

    python benchmarks/generate.py 10000 [SEED] > big.plan

``generate_plan(n_clauses, seed)`` writes a world (sources, states, blocs,
alliances, organisations, parties, a ``part of`` hierarchy of regions with
``held by`` / ``annexed by``, forces with strengths, weapons, pools and funds),
then as many plans of numbered points as it takes, then one ``positions`` block
per leading party (red lines with require/forbid, ideals, flexible on).

"Clauses" are counted the way the AST counts them (every ``ast.Clause``): the
clauses of points and options, plus each ``ideal`` and each ``require``/``forbid``
whose predicate is a clause body. The output holds exactly ``n_clauses`` of them
(for ``n_clauses >= 1``; the world and a positions block are always written).

Only ``random.Random(seed)`` is used: the same (n_clauses, seed) always gives
the same text, byte for byte.
"""

from __future__ import annotations

import random
import sys

# Every keyword of grammar/plan.lark. Generated names avoid them all, so a name
# can never be lexed as a keyword whatever the context.
KEYWORDS = frozenset("""
about admit agreed alias all alliance allocate amnesty amount and annexed any as at attack
attacks author beneficiary billion bloc bn branch breached buffer by cease cede cite contact
date de demilitarised demilitarized deploy depth draft ease elections establish exceed exchange
facto fire flexible forbid force freeze from full fully fund grant guarantee held hold holder
holds ideal if impose in invade invades is join jure kind leaked least less lift line locator
managed may members million mn more most never nominal not note of on option or organisation
organization out owner part partial partly party percent phase plan point points pool
positions possess prisoners profits proposed provision publisher range receive recognise
recognised recognize recognized redline region reinstate remainder reported require revises
sanctions security shall signed source sponsor state station status strength tags text than
thousand tn to trillion troops unite unknown unless until upon url use void weapon with
withdraw within zone
""".split())

# ---------------------------------------------------------------------------- vocabulary

_CORE_STATES = [
    ("ukraine", "Ukraine"), ("russia", "Russia"), ("usa", "United States"), ("uk", "United Kingdom"),
    ("france", "France"), ("germany", "Germany"), ("poland", "Poland"), ("turkey", "Turkey"),
    ("china", "China"), ("qatar", "Qatar"), ("belarus", "Belarus"), ("moldova", "Moldova"),
]
_SYLLABLES = ["val", "dor", "kes", "tri", "mar", "no", "sa", "vel", "an", "gro", "lin", "ta",
              "bre", "zan", "ko", "ria", "lu", "mir", "ost", "pel", "ra", "shen", "ur", "vo"]
_REGION_WORDS = ["donetsk", "luhansk", "zaporizhzhia", "kherson", "crimea", "kharkiv", "sumy",
                 "odesa", "mykolaiv", "dnipro", "chernihiv", "poltava", "transnistria", "gagauzia"]
_REGION_SUFFIXES = ["oblast", "district", "valley", "coast", "heights", "basin", "corridor", "plain"]
_UNITS_PEOPLE = ["personnel", "soldiers", "officers"]
_UNITS_KIT = ["tanks", "aircraft", "warheads", "launchers", "drones", "ships"]
_CURRENCIES = ["USD", "EUR", "GBP"]
_SOURCE_KINDS = ["report", "article", "leak", "transcript", "statement", "interview"]
_PUBLISHERS = ["NBC News", "Reuters", "Financial Times", "Axios", "Kyiv Independent",
               "Le Monde", "Der Spiegel", "TASS", "Bloomberg", "The Economist"]
_SURNAMES = ["Smith", "Kovalenko", "Ivanova", "Martin", "Schmidt", "Nowak", "Yilmaz", "Chen",
             "Garcia", "Brown", "Petrenko", "Dubois"]
_POINT_TITLES = ["Sovereignty", "Territory", "Security guarantees", "Armed forces", "Alliances",
                 "Frozen assets", "Sanctions", "Reconstruction", "Humanitarian matters",
                 "Elections", "Ceasefire", "Monitoring", "Nuclear safety", "Energy",
                 "Prisoners and detainees", "Language and religion", "Trade", "Implementation"]
_TEXT_SNIPPETS = [
    "The parties confirm the sovereignty of",
    "A joint commission will oversee",
    "Both sides undertake to respect",
    "International monitors shall verify",
    "This point enters into force together with",
    "The details are left to a separate protocol on",
    "The wording follows the draft reported for",
    "The guarantor will review compliance with",
]
_PROVISIONS = [
    ("the Zaporizhzhia nuclear plant is restarted under IAEA supervision", ["energy", "nuclear_safety"]),
    ("both sides adopt education programmes promoting tolerance", ["culture"]),
    ("a joint security working group is set up", ["monitoring"]),
    ("free navigation on the Dnipro river is guaranteed", ["trade", "navigation"]),
    ("grain exports by sea continue without interference", ["trade"]),
    ("religious and linguistic minorities are protected", ["culture", "minorities"]),
    ("a peace council chaired by the sponsor supervises the agreement", ["monitoring", "governance"]),
    ("the parties settle remaining disputes by negotiation", ["governance"]),
    ("family reunification is facilitated for displaced civilians", ["humanitarian"]),
]
_CONDITION_TEXTS = ["the referendum passes", "the monitoring mission reports a violation",
                    "parliament ratifies the agreement", "the line of contact moves",
                    "elections are postponed", 'the "peace council" is not convened']
_QUOTES = ["cede", "about one-fifth", "not to exceed", "security guarantees", "within 100 days",
           "frozen assets", "reinstated automatically", "amnesty for all parties", "full ceasefire",
           "not public", "as reported"]
_COMMENTS = ["# as leaked; wording unconfirmed", "# disputed translation", "# see the annex",
             "# the Russian counter-proposal drops this", "# reported by two outlets",
             "# numbers rounded", "# TODO: check against the final text"]


class _World:
    """The names a plan can refer to, built with the declarations."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.states: list[str] = []
        self.blocs: list[str] = []
        self.alliances: list[str] = []
        self.orgs: list[str] = []
        self.parties: list[str] = []      # states + blocs + parties: anything that can act
        self.regions: list[str] = []
        self.top_regions: list[str] = []
        self.forces: list[str] = []
        self.weapons: list[str] = []
        self.pools: list[str] = []
        self.funds: list[str] = []
        self.used: set[str] = set()

    def fresh(self, base: str) -> str:
        """A name not used before and not a keyword (adds _2, _3 ... if needed)."""
        name = base
        k = 2
        while name in self.used or name in KEYWORDS:
            name = f"{base}_{k}"
            k += 1
        self.used.add(name)
        return name


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


class _Generator:
    def __init__(self, n_clauses: int, seed: int, position_clauses: int | None = None) -> None:
        self.position_clauses = position_clauses
        self.n = max(0, int(n_clauses))
        self.rnd = random.Random(seed)
        self.w = _World()
        self.out: list[str] = []
        self.remaining = self.n
        # Per-plan state for references.
        self.labels: list[str] = []
        self.point_numbers: list[int] = []

    # ------------------------------------------------------------------ small pieces
    def emit(self, line: str) -> None:
        self.out.append(line)

    def pick(self, seq):
        return seq[self.rnd.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def some(self, seq, lo: int = 1, hi: int = 3) -> list:
        k = min(len(seq), self.rnd.randint(lo, hi))
        return self.rnd.sample(seq, k)

    def names(self, seq, lo: int = 1, hi: int = 2) -> str:
        return ", ".join(self.some(seq, lo, hi))

    def date(self) -> str:
        year = self.rnd.randint(2022, 2030)
        r = self.rnd.random()
        if r < 0.2:
            return str(year)
        month = self.rnd.randint(1, 12)
        if r < 0.6:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{self.rnd.randint(1, 28):02d}"

    def fraction(self) -> str:
        if self.chance(0.5):
            return self.pick(["one-half", "one-third", "two-thirds", "one-quarter", "three-quarters",
                              "one-fifth", "two-fifths", "one-tenth", "three-tenths"])
        d = self.rnd.randint(2, 10)
        return f"{self.rnd.randint(1, d - 1)}/{d}"

    def percent(self) -> str:
        value = self.rnd.randint(1, 99)
        return f"{value}%" if self.chance(0.7) else f"{value} percent"

    def big_number(self, lo: int, hi: int) -> str:
        value = self.rnd.randint(lo, hi)
        if value >= 1000 and self.chance(0.8):
            return f"{value:,}" if self.chance(0.85) else f"{value:_}"
        return str(value)

    def qualifier(self, p: float = 0.5) -> str:
        if not self.chance(p):
            return ""
        return self.pick(["about ", "more than ", "less than ", "at least ", "at most "])

    def people(self) -> str:
        r = self.rnd.random()
        if r < 0.6:
            return f"{self.big_number(10_000, 1_200_000)} {self.pick(_UNITS_PEOPLE)}"
        if r < 0.8:
            return f"{self.rnd.randint(1, 9)}.{self.rnd.randint(0, 9)} million {self.pick(_UNITS_PEOPLE)}"
        return f"{self.rnd.randint(50, 900)} thousand {self.pick(_UNITS_PEOPLE)}"

    def money(self) -> str:
        value = self.rnd.randint(1, 400)
        scale = self.pick(["bn", "billion", " billion", " bn", " million", "mn", " trillion", "tn"])
        scale = scale if scale.startswith(" ") else (" " + scale if self.chance(0.3) else scale)
        return f"{value}{scale} {self.pick(_CURRENCIES)}"

    def duration(self) -> str:
        r = self.rnd.random()
        if r < 0.6:
            return f"{self.pick([7, 10, 14, 30, 45, 60, 90, 100, 120, 180])} days"
        if r < 0.9:
            return f"{self.rnd.randint(1, 24)} months"
        return f"{self.rnd.randint(1, 5)} years"

    def distance(self) -> str:
        return f"{self.pick([5, 10, 15, 20, 30, 50, 100, 300, 500])} km"

    def string(self, text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def citations(self, p: float = 0.5) -> str:
        if not self.chance(p):
            return ""
        parts = []
        for _ in range(1 if self.chance(0.8) else 2):
            src = self.pick(self.w.sources)
            if self.chance(0.4):
                parts.append(f" cite {src} {self.string(self.pick(_QUOTES))}")
            else:
                parts.append(f" cite {src}")
        return "".join(parts)

    def syllable_name(self, k: int) -> str:
        return "".join(self.pick(_SYLLABLES) for _ in range(k))

    # ------------------------------------------------------------------ the world
    def world(self) -> None:
        w, n = self.w, self.n
        self.emit("# ============================================================ world")
        self.emit("# Generated by benchmarks/generate.py: every name below is fictional or illustrative.")
        self.emit("")

        for i in range(_clamp(n // 200, 3, 400)):
            name = w.fresh(f"{self.pick(['nbc', 'reuters', 'ft', 'axios', 'kyivind', 'tass', 'leak'])}_{i}")
            w.sources.append(name)
            author = ", ".join(self.string(f"{self.pick('ABCDEFGHJKLMNPRSTVW')}. {self.pick(_SURNAMES)}")
                               for _ in range(self.rnd.randint(1, 3)))
            props = [f"kind {self.pick(_SOURCE_KINDS)};", f"publisher {self.string(self.pick(_PUBLISHERS))};",
                     f"author {author};", f"date {self.date()};"]
            if self.chance(0.6):
                props.append(f"url {self.string(f'https://news.example.org/{name}/{self.rnd.randint(1000, 99999)}')};")
            if self.chance(0.3):
                props.append(f"locator {self.string(f'paragraph {self.rnd.randint(1, 40)}')};")
            if len(w.sources) > 1 and self.chance(0.2):
                props.append(f"reported in {self.pick(w.sources[:-1])};")
            self.emit(f"source {name} {self.string(self.pick(_PUBLISHERS) + ' report')} {{ {' '.join(props)} }}")
        self.emit("")

        n_states = _clamp(n // 250, len(_CORE_STATES), 300)
        for i in range(n_states):
            if i < len(_CORE_STATES):
                base, label = _CORE_STATES[i]
            else:
                base = self.syllable_name(self.rnd.randint(2, 3)) + "ia"
                label = base.capitalize()
            name = w.fresh(base)
            w.states.append(name)
            if self.chance(0.25):
                self.emit(f"state {name} {self.string(label)} {{ alias {self.string(label + ' Republic')}; }}")
            else:
                self.emit(f"state {name} {self.string(label)};")
        for base, label in [("europe", "Europe"), ("eu", "European Union"), ("g7", "G7")] + [
            (f"bloc_{i}", f"Bloc {i}") for i in range(_clamp(n // 5000, 0, 40))]:
            name = w.fresh(base)
            w.blocs.append(name)
            if self.chance(0.5):
                self.emit(f"bloc {name} {self.string(label)} {{ members {self.names(w.states, 2, 6)}; }}")
            else:
                self.emit(f"bloc {name} {self.string(label)};")
        for base, label in [("nato", "NATO"), ("csto", "CSTO")] + [
            (f"pact_{i}", f"Pact {i}") for i in range(_clamp(n // 10000, 0, 20))]:
            name = w.fresh(base)
            w.alliances.append(name)
            self.emit(f"alliance {name} {self.string(label)} {{ members {self.names(w.states, 2, 8)}; }}")
        for kw, base, label in [("organisation", "un", "United Nations"), ("organization", "iaea", "IAEA"),
                                ("organisation", "osce", "OSCE"), ("organisation", "icrc", "Red Cross")]:
            name = w.fresh(base)
            w.orgs.append(name)
            self.emit(f"{kw} {name} {self.string(label)};")
        for i in range(_clamp(n // 2000, 2, 50)):
            name = w.fresh(self.pick(["militia", "front", "movement", "guard"]) + f"_{i}")
            w.parties.append(name)
            self.emit(f"party {name} {self.string('Armed group ' + str(i))} {{ alias {self.string('Group ' + str(i))}; }}")
        w.parties = w.states + w.blocs + w.parties
        self.emit("")

        # Regions: a three-level "part of" hierarchy: land -> oblast -> district.
        n_regions = _clamp(n // 60, 12, 3000)
        for state in w.states[: max(2, min(len(w.states), n_regions // 6))]:
            name = w.fresh(f"{state}_land")
            w.top_regions.append(name)
            self.emit(f'region {name} {self.string(state.capitalize() + " (whole territory)")} {{ held by {state}; }}')
        oblasts: list[str] = []
        while len(w.regions) < n_regions:
            if not oblasts or self.chance(0.3):
                base = self.pick(_REGION_WORDS) if len(oblasts) < len(_REGION_WORDS) else self.syllable_name(2) + "sk"
                name = w.fresh(base)
                parent = self.pick(w.top_regions)
                oblasts.append(name)
            else:
                base = f"{self.pick(oblasts)}_{self.pick(_REGION_SUFFIXES)}"
                name = w.fresh(base)
                parent = self.pick(oblasts)
            w.regions.append(name)
            props = [f"part of {parent};"]
            holder = self.pick(w.states[:2] if self.chance(0.7) else w.states)
            r = self.rnd.random()
            extent = ("" if r < 0.3 else " partly" if r < 0.45 else " fully" if r < 0.6
                      else f" {self.qualifier(0.7)}{self.fraction() if self.chance(0.6) else self.percent()}")
            props.append(f"held by {holder}{extent}{self.citations(0.4)};")
            if self.chance(0.2):
                props.append(f"annexed by {self.pick(w.states)}{' in ' + self.date() if self.chance(0.7) else ''};")
            label = name.replace("_", " ").title()
            self.emit(f"region {name} {self.string(label)} {{ {' '.join(props)} }}")
        w.regions = w.top_regions + w.regions
        self.emit("")

        for state in w.states:
            for branch in self.some(["army", "navy", "air_force", "national_guard"], 1, 3):
                name = w.fresh(f"{state}_{branch}")
                w.forces.append(name)
                props = [f"of {state};", f"branch {self.string(branch.replace('_', ' '))};",
                         f"strength {self.qualifier(0.6) + self.people() if self.chance(0.9) else 'unknown'}{self.citations(0.5)};"]
                self.emit(f"force {name} {self.string(state.capitalize() + ' ' + branch.replace('_', ' '))} {{ {' '.join(props)} }}")
        for base, kind, km in [("atacms", "missile", 300), ("tomahawk", "missile", 1600), ("taurus", "missile", 500),
                               ("oreshnik", "missile", 5000), ("nuclear_weapons", "warhead", 10000),
                               ("long_range_drones", "drone", 1500)] + [
                (f"system_{i}", "missile", 100 * (i + 1)) for i in range(_clamp(n // 5000, 0, 40))]:
            name = w.fresh(base)
            w.weapons.append(name)
            self.emit(f"weapon {name} {self.string(base.replace('_', ' ').upper())} {{ kind {kind}; range {self.qualifier(0.5)}{km} km; }}")
        self.emit("")

        for i in range(_clamp(n // 1000, 2, 100)):
            name = w.fresh(f"frozen_assets_{i}" if i else "frozen_assets")
            w.pools.append(name)
            props = [f"owner {self.pick(w.states[:2])};", f"holder {self.pick(w.blocs + w.states)};",
                     f"amount {self.qualifier(0.7)}{self.money()}{self.citations(0.5)};"]
            if self.chance(0.3):
                props.append(f"managed by {self.names(w.orgs + w.blocs, 1, 2)};")
            self.emit(f"pool {name} {self.string('Frozen sovereign assets ' + str(i))} {{ {' '.join(props)} }}")
        for i in range(_clamp(n // 1000, 2, 100)):
            name = w.fresh(f"reconstruction_fund_{i}" if i else "reconstruction_fund")
            w.funds.append(name)
            props = [f"managed by {self.names(w.states[2:6] + w.orgs, 1, 2)};",
                     f"beneficiary {self.names(w.states[:1] + w.regions[:5], 1, 2)};"]
            if self.chance(0.5):
                props.append(f"amount {self.qualifier(0.5)}{self.money()};")
            self.emit(f"fund {name} {self.string('Reconstruction fund ' + str(i))} {{ {' '.join(props)} }}")
        self.emit("")

    # ------------------------------------------------------------------ clauses
    def reference(self) -> str:
        if self.labels and self.chance(0.75):
            return self.pick(self.labels)
        return f"point {self.pick(self.point_numbers) if self.point_numbers else 1}"

    def condition(self, depth: int = 0) -> str:
        r = self.rnd.random()
        if depth < 2 and r < 0.25:
            op = " and " if self.chance(0.6) else " or "
            return self.atom(depth + 1) + op + self.atom(depth + 1)
        return self.atom(depth)

    def atom(self, depth: int) -> str:
        # "not" takes one base condition: "not not x" is not in the grammar.
        if self.chance(0.08):
            return "not " + self.base_condition(depth)
        return self.base_condition(depth)

    def base_condition(self, depth: int) -> str:
        w = self.w
        r = self.rnd.random()
        if r < 0.55:
            # "A invades B" / "A, B attack C": sides never overlap, verb agrees with the subject.
            actors = self.some(w.states[:6] + w.parties[-3:] + w.alliances, 2, 4)
            k = 1 if len(actors) < 3 or self.chance(0.75) else 2
            doers, targets = actors[:k], actors[k:]
            invasion = r < 0.35
            verb = ("invades" if invasion else "attacks") if k == 1 else ("invade" if invasion else "attack")
            return f"{', '.join(doers)} {verb} {', '.join(targets[:2])}"
        if r < 0.75:
            return f"{self.reference()} is breached"
        if r < 0.88:
            return self.string(self.pick(_CONDITION_TEXTS))
        if depth < 3:
            return f"({self.condition(depth + 1)})"
        return f"{self.reference()} is breached"

    def modality(self) -> str:
        r = self.rnd.random()
        return ("shall" if r < 0.5 else "shall not" if r < 0.7 else "shall never" if r < 0.8
                else "may" if r < 0.93 else "may not")

    def modifiers(self, p: float = 0.35, within: bool = True) -> str:
        parts = []
        while self.chance(p) and len(parts) < 3:
            r = self.rnd.random()
            if r < 0.35 and within and not any(x.startswith("within") for x in parts):
                parts.append(f"within {self.duration()}" + (f" of {self.reference()}" if self.chance(0.3) else ""))
            elif r < 0.5:
                if any(x.startswith("by") for x in parts):
                    continue
                parts.append(f"by {self.date()}")
            elif r < 0.6:
                parts.append(f"from {self.date()}")
            elif r < 0.68:
                parts.append(f"until {self.date()}")
            elif r < 0.83:
                parts.append(f"upon {self.reference()}")
            elif r < 0.95:
                parts.append(f"if {self.condition()}")
            else:
                parts.append(f"unless {self.condition()}")
            p *= 0.5
        return "".join(" " + x for x in parts)

    def subj(self, pool=None, lo: int = 1, hi: int = 2) -> str:
        return self.names(pool or self.w.parties[:8], lo, hi) + " "

    def body(self, kind: str) -> tuple[str, str]:
        """One clause body of the given kind: (label base word, text)."""
        w, rnd = self.w, self.rnd
        states = w.states
        m = self.modality
        if kind == "cede":
            legal = self.pick(["", " de facto", " de jure"])
            rec = f" recognised by {self.names(states[2:8] + w.blocs, 1, 3)}" if self.chance(0.3) else ""
            return "cession", f"{self.subj(states[:1] + states[8:])}shall cede {self.names(w.regions, 1, 3)} to {self.pick(states[1:3])}{legal}{rec}"
        if kind == "recognise":
            verb = "recognise" if self.chance(0.8) else "recognize"
            part = f" as part of {self.pick(states[:3] + w.top_regions)}" if self.chance(0.5) else ""
            legal = self.pick(["", " de facto", " de jure"])
            return "recognition", f"{self.subj(states[:8] + w.blocs)}{m()} {verb} {self.names(w.regions, 1, 3)}{part}{legal}"
        if kind == "freeze":
            where = f" in {self.names(w.regions, 1, 3)}" if self.chance(0.6) else ""
            return "freeze", f"{self.subj(states[:2], 1, 2)}shall freeze line of contact{where}"
        if kind == "withdraw":
            to = f" to {self.distance()}" if self.chance(0.4) else ""
            within = f" within {self.duration()}" if self.chance(0.8) else ""
            return "withdrawal", f"{self.subj(w.forces + states[:2], 1, 2)}shall withdraw from {self.names(w.regions, 1, 3)}{to}{within}"
        if kind == "establish":
            zone = self.pick(["demilitarised", "demilitarized", "buffer"])
            depth = f" depth {self.distance()}" if self.chance(0.6) else ""
            subj = self.subj(states[:3]) + "shall " if self.chance(0.5) else ""
            return "zone", f"{subj}establish {zone} zone in {self.names(w.regions, 1, 2)}{depth}"
        if kind == "exceed":
            r = rnd.random()
            if r < 0.5:
                limit = f"{self.qualifier(0.2)}{self.people()}" + (f" ({self.fraction()})" if self.chance(0.3) else "")
            elif r < 0.65:
                limit = f"{self.qualifier(0.2)}{self.big_number(10, 5000)} {self.pick(_UNITS_KIT)}"
            elif r < 0.9:
                limit = f"{self.qualifier(0.4)}{self.fraction()} of strength"
            else:
                limit = "any"
            return "cap", f"{self.subj(w.forces, 1, 1)}{self.pick(['shall not', 'shall never', 'may not'])} exceed {limit}"
        if kind == "possess":
            rng = f" with range {self.qualifier(0.6)}{self.distance()}" if self.chance(0.4) else ""
            return "ban", f"{self.subj(states[:4])}{self.pick(['shall not', 'shall never', 'may'])} possess {self.names(w.weapons, 1, 2)}{rng}"
        if kind == "deploy":
            where = f" in {self.names(states[:6] + w.regions[:20], 1, 2)}" if self.chance(0.6) else ""
            rng = f" with range {self.qualifier(0.4)}{self.distance()}" if self.chance(0.3) else ""
            return "deployment", f"{self.subj(states[:8] + w.alliances, 1, 1)}{m()} deploy {self.names(w.weapons, 1, 2)}{where}{rng}"
        if kind == "join":
            target = self.pick(w.alliances + w.blocs) if self.chance(0.9) else "any"
            return "membership", f"{self.subj(states[:1] + states[4:], 1, 1)}{self.pick(['shall never', 'shall not', 'may', 'may not'])} join {target}"
        if kind == "admit":
            return "admission", f"{self.subj(w.alliances + w.blocs, 1, 1)}{self.pick(['shall not', 'may', 'shall never'])} admit {self.names(states, 1, 2)}"
        if kind == "station":
            return "stationing", f"{self.subj(w.alliances + states[2:8], 1, 1)}{self.pick(['shall not', 'may', 'may not'])} station troops in {self.names(states[:1] + w.regions, 1, 2)}"
        if kind == "unite":
            return "union", f"{self.subj(states[:1] + states[8:], 1, 1)}{m()} unite with {self.pick(w.blocs + states)}"
        if kind == "allocate":
            r = rnd.random()
            share = (f"{self.money()}" + (f" ({self.fraction()})" if self.chance(0.4) else "") if r < 0.45
                     else self.fraction() if r < 0.65 else self.percent() if r < 0.85
                     else self.pick(["remainder", "all"]))
            subj = self.subj(w.blocs + states[2:6], 1, 1) + "shall " if self.chance(0.5) else ""
            return "allocation", f"{subj}allocate {share} of {self.pick(w.pools)} to {self.pick(w.funds)}"
        if kind == "receive":
            share = self.percent() if self.chance(0.6) else self.fraction() if self.chance(0.7) else "remainder"
            return "profits", f"{self.subj(states[:4] + w.blocs)}{self.pick(['shall', 'may'])} receive {share} of profits from {self.pick(w.funds + w.pools)}"
        if kind == "sanction":
            verb = self.pick(["lift", "ease", "impose", "reinstate", "phase out"])
            cond = f" if {self.condition()}" if self.chance(0.6) else ""
            return "sanctions", f"{self.subj(w.blocs + states[2:8], 1, 3)}{self.pick(['shall', 'may'])} {verb}{' all' if self.chance(0.3) else ''} sanctions on {self.names(states[:2] + w.parties[-3:], 1, 2)}{cond}"
        if kind == "cease_fire":
            upon = f" upon {self.reference()}" if self.chance(0.7) else ""
            subj = self.subj(states[:2] + w.forces[:6], 1, 2) if self.chance(0.8) else ""
            return "ceasefire", f"{subj}shall cease fire{upon}"
        if kind == "guarantee":
            level = f" strength {self.pick(['full', 'partial', 'nominal'])}" if self.chance(0.6) else ""
            void = f" void if {self.condition()}" if self.chance(0.5) else ""
            return "guarantee", f"{self.subj(states[2:8] + w.alliances + w.blocs, 1, 3)}shall guarantee security of {self.pick(states[:1] + states[8:] + w.regions[:10])}{level}{void}"
        if kind == "amnesty":
            what = f" {self.string(self.pick(['for all combatants', 'for acts during the war', 'except war crimes']))}" if self.chance(0.6) else ""
            return "amnesty", f"{self.subj(states[:2], 1, 2)}shall grant amnesty{what}"
        if kind == "exchange":
            what = f" {self.string(self.pick(['all for all', 'including civilians', 'and bodies of the dead']))}" if self.chance(0.6) else ""
            return "exchange", f"{self.subj(states[:2], 2, 2)}shall exchange prisoners{what}"
        if kind == "elections":
            return "elections", f"{self.subj(states[:1] + states[8:], 1, 1)}shall hold elections"
        if kind == "provision":
            text, tags = self.pick(_PROVISIONS)
            tag = f" tags {', '.join(self.some(tags, 1, 2))}" if self.chance(0.7) else ""
            subj = self.subj(states[:4], 1, 2) + "shall " if self.chance(0.3) else ""
            return "provision", f"{subj}provision {self.string(text)}{tag}"
        raise ValueError(kind)

    _KINDS = [("cede", 7), ("recognise", 6), ("freeze", 3), ("withdraw", 9), ("establish", 4),
              ("exceed", 8), ("possess", 4), ("deploy", 4), ("join", 5), ("admit", 2), ("station", 3),
              ("unite", 1), ("allocate", 5), ("receive", 4), ("sanction", 7), ("cease_fire", 5),
              ("guarantee", 5), ("amnesty", 2), ("exchange", 2), ("elections", 2), ("provision", 7)]
    _KIND_NAMES = [k for k, _ in _KINDS]
    _KIND_WEIGHTS = [wt for _, wt in _KINDS]

    def clause(self, indent: str, point: int) -> str:
        kind = self.rnd.choices(self._KIND_NAMES, self._KIND_WEIGHTS)[0]
        base, text = self.body(kind)
        label = ""
        if self.chance(0.25):
            name = f"{base}_{point}{'abcdefgh'[len(self.labels) % 8]}{len(self.labels)}"
            label = f"{name}: "
            self.labels.append(name)
        self.remaining -= 1
        comment = f"  {self.pick(_COMMENTS)}" if self.chance(0.05) else ""
        return f"{indent}{label}{text}{self.modifiers(within=' within ' not in text)}{self.citations(0.5)};{comment}"

    # ------------------------------------------------------------------ plans
    def plan(self, index: int) -> None:
        w = self.w
        self.labels = []
        self.point_numbers = []
        sponsor = self.pick(w.states[:8] + w.blocs[:2])
        n_points = self.rnd.randint(12, 28)
        name = w.fresh(f"{sponsor}_{n_points}pt_v{index}")
        self.emit(f"# ------------------------------------------------------------ plan {index}")
        self.emit(f"plan {name} {self.string(f'{sponsor.upper()} {n_points}-point plan, version {index}')} {{")
        status = self.pick(["draft", "leaked", "proposed", "agreed", "signed"])
        self.emit(f"  status {status}; sponsor {self.names(w.states[:8] + w.blocs[:2], 1, 2)}; date {self.date()};")
        if index > 0 and self.chance(0.5):
            self.emit(f"  revises {self.previous_plan};")
        self.emit(f"  note {self.string('Compiled from press reports; wording may differ from the original.')}{self.citations(0.8)};")
        self.previous_plan = name
        number = 1
        while number <= n_points and self.remaining > 0:
            if number > 3 and self.chance(0.04) and number + 2 <= n_points:
                last = min(n_points, number + self.rnd.randint(1, 4))
                self.emit(f"  points {number} to {last} unknown {self.string('not in the leaked text')}{self.citations(0.4)};")
                number = last + 1
                continue
            self.point(number)
            number += 1
        self.emit("}")
        self.emit("")

    def point(self, number: int) -> None:
        w = self.w
        title = f" {self.string(self.pick(_POINT_TITLES))}" if self.chance(0.8) else ""
        self.emit(f"  point {number}{title} {{")
        if self.chance(0.15):
            self.emit(f"    {self.pick(_COMMENTS)}")
        if self.chance(0.5):
            self.emit(f"    text {self.string(self.pick(_TEXT_SNIPPETS) + ' ' + self.pick(w.regions + w.states) + '.')};")
        if self.chance(0.05):
            self.emit(f"    unknown {self.string('the rest of this point')}{self.citations(0.5)};")
        for _ in range(self.rnd.randint(2, 6)):
            if self.remaining <= 0:
                break
            self.emit(self.clause("    ", number))
        if self.remaining > 0 and self.chance(0.12):
            letters = "abc"
            agreed_at = self.rnd.randrange(4)  # 3 = none agreed yet
            for i in range(self.rnd.randint(2, 3)):
                if self.remaining <= 0:
                    break
                proposers = f" proposed by {self.names(w.states[:8], 1, 2)}" if self.chance(0.8) else ""
                agreed = " agreed" if i == agreed_at else ""
                self.emit(f"    option {letters[i]}{proposers}{agreed} {{")
                if self.chance(0.15):
                    self.emit(f"      unknown {self.string('wording not public')};")
                for _ in range(self.rnd.randint(1, 3)):
                    if self.remaining <= 0:
                        break
                    self.emit(self.clause("      ", number))
                self.emit("    }")
        self.emit("  }")
        self.point_numbers.append(number)

    # ------------------------------------------------------------------ positions
    def positions(self, budget: int) -> list[str]:
        """Positions blocks holding exactly ``budget`` clauses (ideals and require/forbid bodies)."""
        saved, self.out = self.out, []
        w = self.w
        self.labels, self.point_numbers = [], list(range(1, 29))
        left = budget
        actors = w.states[:8] + w.blocs[:2]
        i = 0
        while True:
            actor = actors[i % len(actors)]
            self.emit(f"positions {actor} {self.string(actor.capitalize() + ' position ' + str(i // len(actors) + 1))} {{")
            self.emit(f"  date {self.date()}{self.citations(0.5)};")
            for r in range(self.rnd.randint(1, 3)):
                topic = self.pick(w.regions[:30] + w.alliances + w.pools)
                self.emit(f"  redline {w.fresh(f'{topic}_rl{i}_{r}')} {self.string('No compromise on ' + topic)}{self.citations(0.6)} {{")
                for _ in range(self.rnd.randint(1, 3)):
                    verb = self.pick(["require", "forbid"])
                    if verb == "require" and self.chance(0.4):
                        self.emit(f"    require {self.names(w.states[:2], 1, 1)} holds {self.names(w.regions, 1, 3)}{self.citations(0.5)};")
                    elif left > 0:
                        _, text = self.body(self.rnd.choices(self._KIND_NAMES, self._KIND_WEIGHTS)[0])
                        self.emit(f"    {verb} {text}{self.citations(0.5)};")
                        left -= 1
                self.emit("  }")
            for _ in range(self.rnd.randint(1, 4)):
                if left <= 0:
                    break
                _, text = self.body(self.rnd.choices(self._KIND_NAMES, self._KIND_WEIGHTS)[0])
                self.emit(f"  ideal {text}{self.modifiers(0.2, within=' within ' not in text)}{self.citations(0.5)};")
                left -= 1
            if self.chance(0.7):
                self.emit(f"  flexible on {self.names(w.pools + w.regions[:10] + w.funds, 1, 3)}{self.citations(0.3)};")
            self.emit("}")
            self.emit("")
            i += 1
            if left <= 0:
                break
        out, self.out = self.out, saved
        return out

    # ------------------------------------------------------------------ the file
    def run(self) -> str:
        self.world()
        # About 3% of the clauses go to positions blocks (at least a few, at least one block),
        # unless the caller fixes their number: parties do not multiply as drafts do.
        pos_budget = min(self.n, max(min(self.n, 4), self.n * 3 // 100))
        if self.position_clauses is not None:
            pos_budget = min(self.n, self.position_clauses)
        positions = self.positions(pos_budget)
        self.remaining = self.n - pos_budget
        self.previous_plan = None
        index = 0
        while self.remaining > 0:
            self.plan(index)
            index += 1
        self.emit("# ============================================================ positions")
        self.out.extend(positions)
        return "\n".join(self.out) + "\n"


def generate_plan(n_clauses: int, seed: int = 0, position_clauses: int | None = None) -> str:
    """A realistic, deterministic .plan source holding exactly ``n_clauses`` clauses.

    ``position_clauses`` fixes how many of them stand in positions blocks (red lines
    and ideals); by default it is about 3% of them.
    """
    return _Generator(n_clauses, seed, position_clauses).run()


# A plan for the world of examples/ukraine-2025, to judge against its red lines: one
# clause per point, drawn in turn from clauses those red lines and ideals speak of.
_UKRAINE_CLAUSES = [
    "ukraine shall cede {region} to russia",
    "ua_armed_forces shall not exceed {people} personnel",
    "ukraine shall never join nato",
    "allocate {money} billion USD of frozen_assets to rebuild_fund",
    "usa shall receive {percent}% of profits from rebuild_fund",
    "usa shall guarantee security of ukraine strength partial",
    "russia shall cease fire",
    "ukraine shall not possess long_range_weapons",
    "usa, europe shall recognise {region} as part of russia",
    "ua_armed_forces shall withdraw from {region}",
]
_UKRAINE_REGIONS = ["donbas", "donetsk", "luhansk", "zaporizhzhia", "kherson"]


# Clauses that never contradict one another, however often repeated: a plan without errors,
# which render and compare accept.
_UKRAINE_CLEAN = [
    "russia shall cease fire",
    "ukraine shall never join nato",
    "usa shall guarantee security of ukraine strength partial",
    "ukraine shall not possess long_range_weapons",
    "ua_armed_forces shall withdraw from {region}",
    "usa, europe shall recognise {region} as part of russia",
]


def ukraine_plan(n_clauses: int, name: str = "big_plan", clean: bool = False) -> str:
    """One plan of ``n_clauses`` points, for the world and positions of examples/ukraine-2025.

    Deterministic; every clause names only what examples/ukraine-2025/world.plan declares.
    ``clean``: only clauses that cannot contradict each other (no errors: render accepts it).
    """
    templates = _UKRAINE_CLEAN if clean else _UKRAINE_CLAUSES
    lines = ['use "world.plan";', "", f'plan {name} "A plan of {n_clauses:,} clauses" {{', "  status proposed;"]
    for i in range(n_clauses):
        template = templates[i % len(templates)]
        clause = template.format(region=_UKRAINE_REGIONS[i % len(_UKRAINE_REGIONS)],
                                 people=f"{400_000 + (i % 50) * 1_000:,}", money=10 + i % 90, percent=1 + i % 60)
        if i % 4 == 3:  # every fourth point is bracketed: two wordings, the first one agreed half the time
            other = templates[(i + 3) % len(templates)].format(
                region=_UKRAINE_REGIONS[(i + 2) % len(_UKRAINE_REGIONS)], people=f"{700_000 + (i % 7) * 1_000:,}",
                money=5 + i % 40, percent=2 + i % 30)
            agreed = " agreed" if i % 8 == 3 else ""
            lines.append(f"  point {i + 1} {{ option a{agreed} {{ {clause}; }} option b {{ {other}; }} }}")
        else:
            lines.append(f"  point {i + 1} {{ {clause}; }}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python benchmarks/generate.py N_CLAUSES [SEED] > file.plan", file=sys.stderr)
        return 2
    sys.stdout.write(generate_plan(int(argv[0].replace("_", "").replace(",", "")), int(argv[1]) if len(argv) > 1 else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

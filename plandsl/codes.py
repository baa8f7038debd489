"""The registry of diagnostic codes.

Codes are stable: once published, a code keeps its meaning. Each has a short
name, a one-line title, a longer explanation, a default severity, and a bad and
a good example (shown by ``plandsl explain`` once that command lands).

Ranges: S1xx syntax and source text, F2xx files and ``use``, N3xx names,
C4xx consistency of a plan, R5xx red lines, X6xx suppressions.

Each example is a whole program: tests check that every ``bad`` raises its code
and every ``good`` does not, so what ``plandsl explain`` shows stays true.
"""

from __future__ import annotations

from dataclasses import dataclass

from plandsl.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code and everything a user may want to know about it."""

    id: str
    name: str
    title: str
    severity: Severity
    explanation: str
    bad: str = ""
    good: str = ""


_ALL = [
    Code(
        "S101", "unexpected-token", "Unexpected word or symbol", Severity.ERROR,
        "The parser met a word or symbol that cannot stand where it was written. "
        "The message names what could have come there instead; for the common "
        "mistakes (a keyword in capitals, '20k', a date like 12/05/2025, 'must' for "
        "'shall', an action the language does not have) it says how to write it.",
        bad='plan p { point 1 { ukraine shall cede to russia; } }',
        good='plan p { point 1 { ukraine shall cede donetsk to russia; } }',
    ),
    Code(
        "S102", "unexpected-character", "Character that is not part of the language", Severity.ERROR,
        "A character that starts no word, number, string or symbol of the language, "
        "such as '@' or a stray quote mark.",
        bad='state ukraine @ "Ukraine";',
        good='state ukraine "Ukraine";',
    ),
    Code(
        "S103", "unclosed-string", "String not closed on its line", Severity.ERROR,
        'A string starts with " and must end with " on the same line.',
        bad='state ukraine "Ukraine;',
        good='state ukraine "Ukraine";',
    ),
    Code(
        "S104", "missing-semicolon", "Missing ';' at the end of a statement", Severity.ERROR,
        "Every statement ends with ';' (or with a block in braces). The parser "
        "inserted one and went on.",
        bad='state russia "Russia"\nstate ukraine "Ukraine";',
        good='state russia "Russia";\nstate ukraine "Ukraine";',
    ),
    Code(
        "S105", "unclosed-block", "Block opened with '{' but never closed", Severity.ERROR,
        "A '{' opens a block that must end with '}'. The message names the block "
        "that was still open.",
        bad='plan p {\n  status draft;\n',
        good='plan p {\n  status draft;\n}',
    ),
    Code(
        "S106", "too-deeply-nested", "Nesting deeper than the parser allows", Severity.ERROR,
        "Parentheses in conditions may nest at most 64 levels deep. Deeper nesting "
        "is almost certainly a mistake, and would exhaust the tools that read the file.",
        bad='... if ((((((...)))))) ...',
        good='... if russia invades ukraine ...',
    ),
    Code(
        "S107", "file-too-large", "File larger than the size limit", Severity.ERROR,
        "Files above the size limit (16 MiB unless --max-file-size says otherwise) "
        "are not read. Split the file with 'use'.",
    ),
    Code(
        "S108", "not-text", "File is not UTF-8 text", Severity.ERROR,
        "Plan files are UTF-8 text. The file holds bytes that are not valid UTF-8, "
        "or NUL bytes, which text never holds.",
    ),
    Code(
        "S109", "too-many-errors", "Too many syntax errors", Severity.ERROR,
        "After 100 syntax errors in one file (S101 to S104 and S110 all count) the "
        "parser stops, since later errors are most likely echoes of earlier ones.",
    ),
    Code(
        "S110", "number-too-long", "Number with more digits than the parser reads", Severity.ERROR,
        "A number may have at most 18 digits. Larger amounts are written with a "
        "scale word ('300 billion'); a longer number is almost certainly a typing slip.",
        bad='plan p { point 1 { allocate 1000000000000000000000 USD of assets to fund; } }',
        good='plan p { point 1 { allocate 1000 billion USD of assets to fund; } }',
    ),
    Code(
        "S111", "invalid-date", "A date that is not on the calendar", Severity.ERROR,
        "Dates are written year-month-day (2025-11-20), year-month (2025-11) or as a "
        "year (2025). The year runs from 0001 to 9999, the month from 01 to 12, and the "
        "day to the end of its month: 2025-02-30 and 2025-29-09 name no day. When the "
        "day and the month look swapped, the hint gives the date the other way round.",
        bad='plan p { date 2025-29-09; }',
        good='plan p { date 2025-09-29; }',
    ),
    Code(
        "S112", "control-character", "Control character in a string or comment", Severity.ERROR,
        "A string or comment holds a character that a terminal obeys instead of showing "
        "(an escape sequence that clears the screen or writes the clipboard, a backspace) "
        "or that reorders the text around it (the bidirectional overrides and isolates "
        "U+202A-U+202E and U+2066-U+2069, which make code read differently from how it runs). "
        "Documents print strings, so these are refused. A line break in a string is written "
        "\\n, a tab \\t.",
        bad='plan p "Peace\x1b]52;c;cm0gLXJmIH4=\x07" { point 1 { cease fire; } }',
        good='plan p "Peace" { point 1 { cease fire; } }',
    ),
    Code(
        "F201", "use-not-found", "A used file cannot be read", Severity.ERROR,
        "'use \"PATH\";' names a file relative to the file that says it. The file "
        "does not exist or cannot be read.",
        bad='use "wrold.plan";',
        good='use "world.plan";',
    ),
    Code(
        "F202", "use-cycle", "Files use each other in a cycle", Severity.ERROR,
        "A file may not use itself, directly or through other files.",
        bad='# a.plan\nuse "b.plan";\n# b.plan\nuse "a.plan";',
        good='# a.plan\nuse "world.plan";\n# b.plan\nuse "world.plan";',
    ),
    Code(
        "F204", "use-outside-project", "A used file outside the project directory", Severity.ERROR,
        "'use' reads files inside the project: the directory of the nearest plandsl.toml "
        "above the file checked; else the working directory, when the file is inside it; else "
        "the file's own directory. A path or symlink that "
        "leads outside is refused, so that a plan from an untrusted source cannot pull other "
        "files into a report or document. --allow-outside-uses lifts the rule.",
        bad='use "../../../etc/passwd";',
        good='use "world.plan";',
    ),
    Code(
        "F205", "use-not-a-file", "A used file is a directory, a FIFO or a device", Severity.ERROR,
        "'use' reads regular .plan files only. A directory, a FIFO (named pipe), a socket or a "
        "device cannot be used: reading a FIFO would wait forever. Directory scans skip such "
        "entries; named on the command line, they are an error (exit 2).",
        bad='use ".";',
        good='use "world.plan";',
    ),
    Code(
        "F206", "symlink-loop", "A symlink that leads into a loop", Severity.ERROR,
        "A used file, or a file named or found by a directory scan, is a symbolic link that "
        "leads back to itself (directly, or through other links), so it names no file. The "
        "file is skipped with this error; the other files are still checked.",
        bad='use "loop.plan";  # loop.plan is a symlink to loop.plan',
        good='use "world.plan";',
    ),
    Code(
        "F203", "duplicate-name", "A name declared twice", Severity.ERROR,
        "Every declaration, plan and red line within its positions has one name. "
        "Two declarations with the same name, in one file or across used files, "
        "are an error.",
        bad='state russia "Russia";\nregion russia "Russia";',
        good='state russia "Russia";\nregion russia_land "Russia";',
    ),
]


_WORLD = (
    'state russia "Russia";\nstate ukraine "Ukraine";\nstate usa "USA";\nalliance nato "NATO";\n'
    'region land "Ukraine\'s land" { held by ukraine; }\n'
    'region donbas "Donbas" { part of land; }\n'
    'region donetsk "Donetsk" { part of donbas; held by ukraine partly; held by russia partly; }\n'
    'region luhansk "Luhansk" { part of donbas; held by russia; }\n'
    'force army "Ukraine\'s army" { of ukraine; strength 800,000 personnel; }\n'
    'force officers "Officers" { of ukraine; part of army; strength 80,000 personnel; }\n'
    'pool assets "Frozen assets" { owner russia; amount 300 billion USD; }\n'
    'fund rebuild "Rebuilding fund" { managed by usa; }\n'
    'weapon missiles "Long-range missiles";\n'
    'source report "A report";\n'
)


def _plan(body: str) -> str:
    return _WORLD + "plan p {\n" + body + "\n}\n"


_CHECK = [
    Code(
        "N301", "undefined-name", "A name that is not declared", Severity.ERROR,
        "Every party, region, force, pool, fund, weapon, source and plan must be declared "
        "(in this file or a file it uses) before a clause can name it.",
        bad=_plan("  point 1 { ukraine shall cede donetsk to rusia; }"),
        good=_plan("  point 1 { ukraine shall cede donetsk to russia; }"),
    ),
    Code(
        "N302", "wrong-kind", "A name of the wrong kind", Severity.ERROR,
        "Each place in a clause takes one kind of name: a cession takes regions and a "
        "party, a cap takes a force, a cited source must be a source.",
        bad=_plan("  point 1 { ukraine shall cede russia to donetsk; }"),
        good=_plan("  point 1 { ukraine shall cede donetsk to russia; }"),
    ),
    Code(
        "N303", "unused-declaration", "A declaration nothing uses", Severity.WARNING,
        "A declared party, region, force, pool, fund, weapon or source that no plan, "
        "position or other declaration mentions is probably a leftover or a misspelling.",
        bad='state russia "Russia";\nstate ukraine "Ukraine";\nplan p { point 1 { russia shall cease fire; } }\n',
        good='state russia "Russia";\nplan p { point 1 { russia shall cease fire; } }\n',
    ),
    Code(
        "N304", "misplaced-property", "A property that does not belong to this kind", Severity.ERROR,
        "Each kind of declaration takes its own properties: a region is 'part of' and "
        "'held by', a force has a 'strength', a pool an 'amount' and an 'owner'.",
        bad='state russia "Russia";\nregion r "R" { strength 5 personnel; held by russia; }\n',
        good='state russia "Russia";\nregion r "R" { held by russia; }\n',
    ),
    Code(
        "N305", "repeated-property", "A property given twice", Severity.ERROR,
        "Properties such as 'strength', 'amount', 'part of' and 'status' take one value.",
        bad='force a "A" { strength 5 personnel; strength 6 personnel; }\n',
        good='force a "A" { strength 5 personnel; }\n',
    ),
    Code(
        "N306", "undefined-reference", "A reference to a clause label or point that does not exist",
        Severity.ERROR,
        "'upon X', 'within N days of X' and 'X is breached' name a labelled clause "
        "('X: ...;') or a point ('point 3') of the same plan.",
        bad=_plan("  point 1 { russia shall cease fire upon withdrawl; w: ukraine shall withdraw from donetsk; }"),
        good=_plan("  point 1 { russia shall cease fire upon w; w: ukraine shall withdraw from donetsk; }"),
    ),
    Code(
        "N308", "duplicate-label", "A clause label used twice in a plan", Severity.ERROR,
        "A label names one clause, so that others can refer to it.",
        bad=_plan("  point 1 { w: ukraine shall withdraw from donetsk; w: russia shall cease fire; }"),
        good=_plan("  point 1 { w: ukraine shall withdraw from donetsk; c: russia shall cease fire; }"),
    ),
    Code(
        "N309", "part-of-itself", "A region or force that is part of itself", Severity.ERROR,
        "'part of' builds a hierarchy; following it must never lead back to where it started.",
        bad='region a "A" { part of b; }\nregion b "B" { part of a; }\n',
        good='region a "A" { part of b; }\nregion b "B";\n',
    ),
    Code(
        "C401", "ceded-twice", "A region ceded twice", Severity.WARNING,
        "The same region (or a region and a larger one that contains it) is ceded to the "
        "same party by two clauses: one of them says nothing new, or one is a mistake.",
        bad=_plan("  point 1 { ukraine shall cede donetsk to russia; }\n  point 2 { ukraine shall cede donbas to russia; }"),
        good=_plan("  point 1 { ukraine shall cede donetsk to russia; }\n  point 2 { ukraine shall cede luhansk to russia; }"),
    ),
    Code(
        "C402", "ceded-to-two-parties", "A region ceded to two different parties", Severity.ERROR,
        "A region (or part of it) cannot pass to two parties at once.",
        bad=_plan("  point 1 { ukraine shall cede donetsk to russia; }\n  point 2 { ukraine shall cede donbas to usa; }"),
        good=_plan("  point 1 { ukraine shall cede donetsk to russia; }\n  point 2 { ukraine shall cede luhansk to usa; }"),
    ),
    Code(
        "C403", "ceded-by-non-holder", "A region ceded by a party that does not hold it", Severity.WARNING,
        "A de facto cession hands over ground the ceding party holds. If the plan passes "
        "legal title only, say 'de jure'.",
        bad=_plan("  point 1 { ukraine shall cede luhansk to russia de facto; }"),
        good=_plan("  point 1 { ukraine shall cede luhansk to russia de jure; }"),
    ),
    Code(
        "C404", "cede-and-freeze", "A region ceded and frozen at once", Severity.ERROR,
        "Freezing the line of contact in a region keeps it where it is; ceding it, or a "
        "region that contains it or lies in it, moves it. A plan cannot do both.",
        bad=_plan("  point 1 { ukraine shall cede donbas to russia; }\n  point 2 { shall freeze line of contact in donetsk; }"),
        good=_plan("  point 1 { ukraine shall cede luhansk to russia; }\n  point 2 { shall freeze line of contact in donetsk; }"),
    ),
    Code(
        "C405", "cap-without-effect", "A cap at or above the force's current strength", Severity.WARNING,
        "A cap has effect only below the force's strength; one at or above it changes nothing.",
        bad=_plan("  point 1 { army shall not exceed 900,000 personnel; }"),
        good=_plan("  point 1 { army shall not exceed 600,000 personnel; }"),
    ),
    Code(
        "C406", "impossible-cap", "A cap above all of a force's strength", Severity.ERROR,
        "A cap given as a share of strength is at most the whole (1/1). (A negative cap "
        "cannot be written: numbers in plans have no sign.)",
        bad=_plan("  point 1 { army shall not exceed 3/2 of strength; }"),
        good=_plan("  point 1 { army shall not exceed 3/4 of strength; }"),
    ),
    Code(
        "C407", "caps-disagree", "Two caps on one force that disagree", Severity.ERROR,
        "Two caps on the same force with the same deadline (or none) must agree. A phased "
        "cap gives each phase its own deadline.",
        bad=_plan("  point 1 { army shall not exceed 600,000 personnel; }\n  point 2 { army shall not exceed 500,000 personnel; }"),
        good=_plan("  point 1 { army shall not exceed 600,000 personnel by 2027; }\n  point 2 { army shall not exceed 500,000 personnel by 2029; }"),
    ),
    Code(
        "C408", "sub-cap-above-cap", "A cap on part of a force above the cap on the whole", Severity.ERROR,
        "A force that is 'part of' another cannot be allowed more than the whole, and the "
        "caps on the parts cannot add up to more than the cap on the whole.",
        bad=_plan("  point 1 { army shall not exceed 60,000 personnel; officers shall not exceed 70,000 personnel; }"),
        good=_plan("  point 1 { army shall not exceed 600,000 personnel; officers shall not exceed 70,000 personnel; }"),
    ),
    Code(
        "C409", "phased-cap-rises", "A phased cap that rises over time", Severity.WARNING,
        "Caps on one force with later deadlines are usually lower; a later, higher cap "
        "is most often a swapped date.",
        bad=_plan("  point 1 { army shall not exceed 500,000 personnel by 2027; army shall not exceed 600,000 personnel by 2029; }"),
        good=_plan("  point 1 { army shall not exceed 600,000 personnel by 2027; army shall not exceed 500,000 personnel by 2029; }"),
    ),
    Code(
        "C410", "cap-fraction-mismatch", "A cap whose figure and fraction disagree", Severity.ERROR,
        "'80,000 personnel (one-tenth)' says the same cap twice, as a figure and as a share "
        "of current strength; one-tenth of 800,000 is 80,000, not 100,000.",
        bad=_plan("  point 1 { army shall not exceed 100,000 personnel (one-tenth); }"),
        good=_plan("  point 1 { army shall not exceed 80,000 personnel (one-tenth); }"),
    ),
    Code(
        "C411", "allocations-exceed-pool", "Allocations from a pool that exceed it", Severity.ERROR,
        "What a plan allocates from a pool cannot add up to more than the pool holds.",
        bad=_plan("  point 1 { allocate 200 billion USD of assets to rebuild; allocate 150 billion USD of assets to ukraine; }"),
        good=_plan("  point 1 { allocate 200 billion USD of assets to rebuild; allocate remainder of assets to ukraine; }"),
    ),
    Code(
        "C412", "profit-shares-over-100", "Profit shares above 100%", Severity.ERROR,
        "The shares of one fund's profits add up to at most 100%.",
        bad=_plan("  point 1 { usa shall receive 60% of profits from rebuild; ukraine shall receive 50% of profits from rebuild; }"),
        good=_plan("  point 1 { usa shall receive 50% of profits from rebuild; ukraine shall receive 50% of profits from rebuild; }"),
    ),
    Code(
        "C413", "share-mismatch", "An amount and a fraction of a pool that disagree", Severity.ERROR,
        "'100 billion USD (one-third)' says the same share twice; one-third of 300 billion "
        "is 100 billion, not 150 billion.",
        bad=_plan("  point 1 { allocate 150 billion USD (one-third) of assets to rebuild; }"),
        good=_plan("  point 1 { allocate 100 billion USD (one-third) of assets to rebuild; }"),
    ),
    Code(
        "C414", "remainder-allocated-twice", "The remainder of a pool allocated twice", Severity.ERROR,
        "Only one clause can take what is left of a pool.",
        bad=_plan("  point 1 { allocate remainder of assets to rebuild; allocate remainder of assets to ukraine; }"),
        good=_plan("  point 1 { allocate one-third of assets to rebuild; allocate remainder of assets to ukraine; }"),
    ),
    Code(
        "C415", "alliance-ban-and-admission", "An alliance ban and an admission of the same party",
        Severity.ERROR,
        "'P shall never join A' and 'A may admit P' cannot both stand; nor can "
        "'A shall not admit P' and 'P may join A'.",
        bad=_plan("  point 1 { ukraine shall never join nato; }\n  point 2 { nato may admit ukraine; }"),
        good=_plan("  point 1 { ukraine shall never join nato; }\n  point 2 { nato shall not admit ukraine; }"),
    ),
    Code(
        "C416", "ban-and-permission", "A ban and a permission of the same thing", Severity.ERROR,
        "One clause bans what another allows or requires: the same party, the same act. "
        "This covers a guarantor also banned from guaranteeing.",
        bad=_plan("  point 1 { usa shall guarantee security of ukraine; }\n  point 2 { usa shall not guarantee security of ukraine; }"),
        good=_plan("  point 1 { usa shall guarantee security of ukraine; }\n  point 2 { russia shall not guarantee security of ukraine; }"),
    ),
    Code(
        "C417", "deadline-before-start", "A deadline before its start or trigger", Severity.ERROR,
        "A clause cannot end ('until') or be due ('by') before it starts ('from'), nor be "
        "due before the clause it waits for ('upon') starts.",
        bad=_plan("  point 1 { russia shall cease fire from 2026-03 until 2026-01; }"),
        good=_plan("  point 1 { russia shall cease fire from 2026-01 until 2026-03; }"),
    ),
    Code(
        "C418", "sequencing-cycle", "Clauses that wait on each other", Severity.ERROR,
        "'a upon b' and 'b upon a' can never start. Every chain of 'upon' and 'within ... "
        "of' must begin somewhere.",
        bad=_plan("  point 1 { a: russia shall cease fire upon b; b: ukraine shall withdraw from donetsk upon a; }"),
        good=_plan("  point 1 { a: russia shall cease fire; b: ukraine shall withdraw from donetsk upon a; }"),
    ),
    Code(
        "C419", "several-options-agreed", "More than one bracketed alternative agreed", Severity.ERROR,
        "A point's bracketed alternatives are competing wordings; only one can be agreed.",
        bad=_plan("  point 1 {\n    option a proposed by usa agreed { ukraine shall never join nato; }\n"
                  "    option b proposed by ukraine agreed { ukraine may join nato; }\n  }"),
        good=_plan("  point 1 {\n    option a proposed by usa agreed { ukraine shall never join nato; }\n"
                   "    option b proposed by ukraine { ukraine may join nato; }\n  }"),
    ),
    Code(
        "C420", "no-option-agreed", "An agreed plan with a point still in brackets", Severity.WARNING,
        "In a plan whose status is agreed or signed, every bracketed point has its agreed wording.",
        bad=_plan("  status signed;\n  point 1 {\n    option a proposed by usa { ukraine shall never join nato; }\n"
                  "    option b proposed by ukraine { ukraine may join nato; }\n  }"),
        good=_plan("  status draft;\n  point 1 {\n    option a proposed by usa { ukraine shall never join nato; }\n"
                   "    option b proposed by ukraine { ukraine may join nato; }\n  }"),
    ),
    Code(
        "C421", "empty-point", "A point that says nothing", Severity.WARNING,
        "A point holds clauses, prose ('text'), or 'unknown' when its content is not known.",
        bad=_plan("  point 1 { }"),
        good=_plan("  point 1 { unknown \"not released\"; }"),
    ),
    Code(
        "C422", "points-out-of-order", "Points out of order", Severity.WARNING,
        "Points are numbered in increasing order, as in the text they encode.",
        bad=_plan("  point 2 { russia shall cease fire; }\n  point 1 { ukraine shall cease fire; }"),
        good=_plan("  point 1 { ukraine shall cease fire; }\n  point 2 { russia shall cease fire; }"),
    ),
    Code(
        "C423", "point-numbered-twice", "A point number used twice", Severity.ERROR,
        "Each point has its own number, including the runs of 'points N to M unknown'.",
        bad=_plan("  point 1 { russia shall cease fire; }\n  points 1 to 3 unknown;"),
        good=_plan("  point 1 { russia shall cease fire; }\n  points 2 to 3 unknown;"),
    ),
    Code(
        "C424", "unit-mismatch", "A figure in the wrong unit", Severity.ERROR,
        "Deadlines count time (days, weeks, months, years); withdrawals, zones and ranges "
        "distance (km, m, miles); a cap counts what the force's strength counts; an "
        "allocation is in the pool's currency.",
        bad=_plan("  point 1 { ukraine shall withdraw from donetsk within 30 km; }"),
        good=_plan("  point 1 { ukraine shall withdraw from donetsk within 30 days; }"),
    ),
    Code(
        "C425", "wildcard-in-plan", "'any' in a plan", Severity.ERROR,
        "'any' lets a red line match every name; a plan must say who and what.",
        bad=_plan("  point 1 { any shall cease fire; }"),
        good=_plan("  point 1 { russia shall cease fire; }"),
    ),
    Code(
        "C426", "revises-itself", "A plan that revises itself", Severity.ERROR,
        "Following 'revises' from plan to plan must never come back to the start.",
        bad='plan a { revises b; }\nplan b { revises a; }\n',
        good='plan a { revises b; }\nplan b;\n'.replace("plan b;", "plan b { }"),
    ),
    Code(
        "C427", "trigger-in-one-option", "A clause waiting on a label that only one alternative defines",
        Severity.WARNING,
        "Bracketed options of one point are never in force together. A clause outside "
        "them (or in another option) that waits on a label defined only in some of "
        "them ('upon', 'within ... of', 'is breached') waits for nothing if another "
        "option is chosen. Label a clause in every option, or move the clause into the option.",
        bad=_plan("  point 1 {\n    option a { ceasefire: russia shall cease fire; }\n"
                  "    option b { russia shall cease fire from 2026; }\n  }\n"
                  "  point 2 { ukraine shall withdraw from donetsk upon ceasefire; }"),
        good=_plan("  point 1 {\n    option a { ceasefire: russia shall cease fire; }\n"
                   "    option b { ceasefire: russia shall cease fire from 2026; }\n  }\n"
                   "  point 2 { ukraine shall withdraw from donetsk upon ceasefire; }"),
    ),
    Code(
        "C428", "zero-denominator", "A fraction over zero", Severity.ERROR,
        "A fraction such as 1/0 divides by zero: it is no share of anything, so no sum, "
        "cap or comparison can use it. Write the share meant.",
        bad=_plan("  point 1 { usa shall receive 1/0 of profits from rebuild; }"),
        good=_plan("  point 1 { usa shall receive 1/2 of profits from rebuild; }"),
    ),
    Code(
        "R501", "redline-violated", "A plan crosses a party's red line", Severity.WARNING,
        "A red line of a party (from its positions) is violated by the clauses in force. "
        "The severity is set with --redline-severity; the hint says which points decide it.",
        bad=_plan("  point 1 { ukraine shall never join nato; }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join nato; } }\n',
        good=_plan("  point 1 { ukraine may join nato; }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join nato; } }\n',
    ),
    Code(
        "R502", "redline-violated-in-option", "A bracketed alternative crosses a red line", Severity.WARNING,
        "The red line holds with the agreed wording, but one of the competing wordings of "
        "a point would cross it if it were chosen.",
        bad=_plan("  point 1 {\n    option a agreed { ukraine may join nato; }\n"
                  "    option b { ukraine shall never join nato; }\n  }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join nato; } }\n',
        good=_plan("  point 1 {\n    option a agreed { ukraine may join nato; }\n"
                   "    option b { ukraine may join nato from 2030; }\n  }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join nato; } }\n',
    ),
    Code(
        "R503", "redline-not-judged", "A red line or a plan that could not be judged", Severity.WARNING,
        "A red line whose requirements hold a syntax error, or a plan that holds one, was "
        "not read completely: judging it on what was read would give a verdict on "
        "something else. It is listed as 'not judged', with the error, until the error is fixed.",
        bad=_plan("  point 1 { ukraine may join nato; }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join; } }\n',
        good=_plan("  point 1 { ukraine may join nato; }")
        + 'positions ukraine { redline nato "NATO stays open" { forbid ukraine shall never join nato; } }\n',
    ),
    Code(
        "X601", "unused-suppression", "A suppression that suppresses nothing", Severity.WARNING,
        "'# plandsl: ignore[CODE]' silences CODE on the statement it trails, or, on a line of "
        "its own, on the statement below it. One that silences nothing there is stale and "
        "should go.",
        bad='state a "A";  # plandsl: ignore[C405]\nplan p { point 1 { a shall cease fire; } }\n',
        good='state a "A";\nstate b "B";  # plandsl: ignore[N303]\nplan p { point 1 { a shall cease fire; } }\n',
    ),
]

CODES: dict[str, Code] = {code.id: code for code in [*_ALL, *_CHECK]}


def lookup(code_id: str) -> Code | None:
    """The code with this id (case-insensitive), or None."""
    return CODES.get(code_id.upper())

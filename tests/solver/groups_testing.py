"""Small enrollment instances for the grouping tests: hand-made builders and a hypothesis strategy."""

from __future__ import annotations

from hypothesis import strategies as st

from models.course_instance import LessonKind
from models.enrollment import DisciplineRules, EnrollmentInstance, RuleBook, SectionRule, Student, build_instance

L, P, B = LessonKind.LECTURE, LessonKind.PRACTICE, LessonKind.LAB


def groups_instance(
    groups: dict[str, tuple[str, int]],
    disciplines: dict[str, DisciplineRules],
    order: str = "group",
    takers: dict[str, list[str]] | None = None,
) -> EnrollmentInstance:
    """Academic groups ``{id: (language, size)}`` (students ``<group>-<n>``), every student registered
    for every discipline (or, with ``takers``, the listed groups' students). ``order``: registrations
    listed by group, or ``"interleaved"`` (the groups' students alternate)."""
    students = [
        Student(id=f"{g}-{i:02d}", programme="P", year=1, language=lang, group=g)  # type: ignore[arg-type]
        for g, (lang, n) in groups.items()
        for i in range(n)
    ]
    if order == "interleaved":
        longest = max(n for _, n in groups.values())
        listed = [f"{g}-{i:02d}" for i in range(longest) for g, (_, n) in groups.items() if i < n]
    else:
        listed = [s.id for s in students]
    registrations = []
    for d in disciplines:
        allowed = set(takers[d]) if takers and d in takers else set(groups)
        registrations += [(sid, d) for sid in listed if sid.rsplit("-", 1)[0] in allowed]
    book = RuleBook(
        disciplines={d: {k: r.rule(k) if k in r.kinds else None for k in (L, P, B)} for d, r in disciplines.items()}
    )
    return build_instance(students, registrations, book)


def rules(
    lecture: int | None = None, practice: int | None = None, lab: int | None = None, mix: bool = False
) -> DisciplineRules:
    def rule(capacity: int | None) -> SectionRule | None:
        return None if capacity is None else SectionRule(capacity=capacity, mix_languages=mix)

    return DisciplineRules(lecture=rule(lecture), practice=rule(practice), lab=rule(lab))


@st.composite
def instances(draw: st.DrawFn, max_groups: int = 5, max_disciplines: int = 3) -> EnrollmentInstance:
    """Random registrations: academic groups of 1-30 students in kk/ru; disciplines with one to three
    kinds (capacities 4..60 decreasing coarse to fine, minimum sizes 1 or 2: always formable), each
    taken by all students of some groups or by a random subset; lecture streams sometimes mix languages."""
    n_groups = draw(st.integers(1, max_groups))
    groups = {f"G{i}": (draw(st.sampled_from(["kk", "ru"])), draw(st.integers(1, 30))) for i in range(n_groups)}
    students = [
        Student(id=f"G{i}-{j:02d}", programme="P", year=1, language=lang, group=f"G{i}")  # type: ignore[arg-type]
        for i, (g, (lang, n)) in enumerate(groups.items())
        for j in range(n)
    ]
    ids = [s.id for s in students]
    registrations: list[tuple[str, str]] = []
    disciplines: dict[str, dict[LessonKind, SectionRule | None]] = {}
    for d in range(draw(st.integers(1, max_disciplines))):
        name = f"D{d}"
        kinds = draw(st.lists(st.sampled_from([L, P, B]), min_size=1, max_size=3, unique=True))
        kinds = sorted(kinds, key=[L, P, B].index)
        capacities = sorted(draw(st.lists(st.integers(4, 60), min_size=len(kinds), max_size=len(kinds))), reverse=True)
        mix = draw(st.booleans())
        disciplines[name] = {
            k: (
                SectionRule(capacity=c, min_size=draw(st.integers(1, 2)), mix_languages=mix and k == L)
                if k in kinds
                else None
            )
            for k, c in zip(
                [L, P, B], [capacities[kinds.index(k)] if k in kinds else 0 for k in (L, P, B)], strict=True
            )
        }
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(list(groups)), min_size=1, unique=True))
            members = [sid for sid in ids if sid.rsplit("-", 1)[0] in chosen]
        else:
            members = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        registrations += [(sid, name) for sid in members]
    return build_instance(students, registrations, RuleBook(disciplines=disciplines))

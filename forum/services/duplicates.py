"""Flag measures from different groups or forums that say nearly the same thing, and merge them."""

from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from forum.extensions import db
from forum.models import Forum, Group, Measure

# token_sort_ratio separated rephrasings (76–85) from measures that share only frame words such as
# "Fortbildung für … zu …" (58) in our German examples; token_set_ratio scored those 79.
THRESHOLD = 70


@dataclass
class DuplicatePair:
    """Two visible measures of different groups that read alike."""

    first: Measure
    second: Measure
    score: float


def candidates(forums: list[Forum]) -> list[Measure]:
    """Return the visible measures of these forums' groups."""
    group_ids = [group.id for forum in forums for group in forum.groups]
    return list(
        db.session.execute(
            db.select(Measure)
            .where(
                Measure.group_id.in_(group_ids),
                Measure.hidden.is_(False),
                Measure.merged_into_id.is_(None),
            )
            .order_by(Measure.id)
        ).scalars()
    )


def likely_duplicates(measures: list[Measure], threshold: float = THRESHOLD) -> list[DuplicatePair]:
    """Pair up measures of different groups whose texts score at least `threshold`, best first."""
    # A process holds a few hundred measures: pairwise scoring in rapidfuzz's C code takes
    # milliseconds, without the numpy that process.cdist would pull in.
    texts = [utils.default_process(measure.title) for measure in measures]
    pairs = []
    for i, first in enumerate(measures):
        for j in range(i + 1, len(measures)):
            if first.group_id == measures[j].group_id:
                continue
            score = fuzz.token_sort_ratio(texts[i], texts[j], score_cutoff=threshold)
            if score:
                pairs.append(DuplicatePair(first, measures[j], score))
    return sorted(pairs, key=lambda pair: -pair.score)


def merge(keep: Measure, other: Measure) -> None:
    """Fold `other` (and whatever was merged into it) into `keep`; each keeps its own origin."""
    if keep.id == other.id or keep.merged_into_id is not None:
        raise ValueError("a measure can only be merged into a visible, different measure")
    for child in list(other.merged):
        child.merged_into_id = keep.id
    other.merged_into_id = keep.id
    db.session.commit()


def split(measure: Measure) -> None:
    """Undo a merge: the measure stands on its own again."""
    measure.merged_into_id = None
    db.session.commit()


def origins(measure: Measure) -> list[Group]:
    """The groups a measure stands for: its own, then those of measures merged into it."""
    groups = [measure.group] + [merged.group for merged in measure.merged]
    return list(dict.fromkeys(groups))

"""Suggest themes among SWOT cards: similar cards of all groups and forums, grouped per quadrant.

Runs on the city's own server, no text leaves it. Each card becomes a TF-IDF vector of the
character n-grams inside its words (3 to 5 letters), which tolerates typos, another word order,
split or joined compounds and umlauts; cards are then grouped by agglomerative clustering with
average linkage on cosine distance (scikit-learn), cut at a fixed distance. Function words are
left out first, so "für die" does not make two cards alike. Cards in other scripts (Ukrainian,
Arabic) share no n-grams with German ones and stay apart. The planner decides; this suggests.
"""

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass

# Cut of the cluster tree, as cosine distance: measured on tests/auswertung_samples.py
# (tests/benchmarks/bench_themes.py prints the agreement for other values).
DISTANCE = 0.8
# German function words, left out before comparing.
FUNCTION_WORDS = (
    "aber alle allen als am an auch auf aus bei bis da das dass dem den der des die dies "
    "diese durch ein eine einem einen einer eines es für gegen gibt hat im in ist je kein "
    "keine mit nach nicht noch nur oder ohne sich sie sind so über um und uns unter viel "
    "viele vom von vor war was weil wenn wer wie wird wir zu zum zur zwischen "
)
WORD = re.compile(r"\w+")


@dataclass
class CardText:
    """A card as the suggestion needs it: an identity, its quadrant, text and origin."""

    key: Hashable
    quadrant: str
    text: str
    group: Hashable  # the group that wrote it (unique across forums)
    forum: Hashable


@dataclass
class Suggestion:
    """A suggested theme: its cards, the most central card's text as title, how widely raised."""

    quadrant: str
    keys: list
    title: str
    groups: int
    forums: int


def _fold(text: str) -> str:
    """Lower-case and fold umlauts and ß: "Mütter" and "Muetter" typed as "Mutter" meet."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(char for char in folded if not unicodedata.combining(char))


STOP_WORDS = set(WORD.findall(_fold(FUNCTION_WORDS)))


def normalise(text: str) -> str:
    """Fold case, umlauts and ß, drop punctuation and function words."""
    return " ".join(word for word in WORD.findall(_fold(text)) if word not in STOP_WORDS)


def suggest_themes(cards: list[CardText], distance: float = DISTANCE) -> list[Suggestion]:
    """Group similar cards per quadrant; the largest themes first, single cards last."""
    quadrants: dict[str, list[CardText]] = {}
    for card in cards:
        quadrants.setdefault(card.quadrant, []).append(card)
    themes = [theme for group in quadrants.values() for theme in _cluster(group, distance)]
    return sorted(themes, key=lambda t: (-len(t.keys), -t.groups, t.quadrant, t.title))


def _cluster(cards: list[CardText], distance: float) -> list[Suggestion]:
    # Imported here: scikit-learn takes a second to load, and only the Auswertung needs it.
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    if len(cards) < 2:
        return [_suggestion(cards, None)]
    texts = [normalise(card.text) or card.text.casefold() for card in cards]
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False
    ).fit_transform(texts)
    distances = cosine_distances(vectors)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    ).fit_predict(distances)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    return [
        _suggestion([cards[i] for i in indices], distances[indices][:, indices])
        for indices in members.values()
    ]


def _suggestion(cards: list[CardText], distances) -> Suggestion:
    """Name a theme after its most central card: the one closest to all the others."""
    central = 0 if distances is None else int(distances.sum(axis=1).argmin())
    return Suggestion(
        quadrant=cards[0].quadrant,
        keys=[card.key for card in cards],
        title=cards[central].text,
        groups=len({card.group for card in cards}),
        forums=len({card.forum for card in cards}),
    )

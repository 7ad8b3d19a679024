"""Suggested themes among the cards of all groups, measured against a set with known themes."""

from itertools import combinations

import pytest
from sklearn.metrics import adjusted_rand_score

from forum.services.auswertung.themes import CardText, normalise, suggest_themes
from tests.auswertung_samples import FOREIGN, as_input, labelled_cards


def agreement(cards, themes) -> tuple[float, float, float]:
    """ARI and pairwise precision and recall over the distinct texts (repeats would flatter it)."""
    truth = {c.key: c.theme for c in cards}
    found = {key: number for number, theme in enumerate(themes) for key in theme.keys}
    distinct = list({c.text.casefold(): c.key for c in cards}.values())
    pairs = [(truth[a] == truth[b], found[a] == found[b]) for a, b in combinations(distinct, 2)]
    together = sum(1 for same, joined in pairs if same and joined)
    precision = together / max(1, sum(joined for _, joined in pairs))
    recall = together / max(1, sum(same for same, _ in pairs))
    ari = adjusted_rand_score([truth[k] for k in distinct], [found[k] for k in distinct])
    return ari, precision, recall


@pytest.mark.parametrize("seed", [0, 1])
def test_suggestions_find_the_known_themes(seed):
    cards = labelled_cards(forums=4, groups=4, per_group=40, seed=seed)
    ari, precision, recall = agreement(cards, suggest_themes(as_input(cards)))
    print(f"seed {seed}: ARI {ari:.3f}, pairwise precision {precision:.3f}, recall {recall:.3f}")
    assert ari >= 0.85 and precision >= 0.95 and recall >= 0.8


def test_each_theme_keeps_its_quadrant_and_counts_groups_and_forums():
    cards = labelled_cards(forums=3, groups=2, per_group=30, seed=4)
    themes = suggest_themes(as_input(cards))
    by_key = {c.key: c for c in cards}
    assert sorted(k for t in themes for k in t.keys) == sorted(by_key)  # every card exactly once
    for theme in themes:
        members = [by_key[k] for k in theme.keys]
        assert {m.quadrant for m in members} == {theme.quadrant}
        assert theme.title in {m.text for m in members}
        assert theme.groups == len({m.group for m in members})
        assert theme.forums == len({m.group[0] for m in members})
    sizes = [len(t.keys) for t in themes]
    assert sizes == sorted(sizes, reverse=True)


def test_ukrainian_and_arabic_cards_stay_apart_from_german_themes():
    cards = labelled_cards(forums=4, groups=4, per_group=40, seed=0)
    foreign = {text for _, text in FOREIGN}
    themes = suggest_themes(as_input(cards))
    by_key = {c.key: c.text for c in cards}
    for theme in themes:
        texts = {by_key[k] for k in theme.keys}
        assert not (texts & foreign) or texts <= foreign


def test_hostile_texts_do_not_break_it():
    texts = ["", "   ", "🙂🙂", "x" * 100_000, "\x00\x01", "{{ 7*7 }}", "für die und", "a"]
    cards = [CardText(i, "threat", text, i % 2, 0) for i, text in enumerate(texts)]
    themes = suggest_themes(cards)
    assert sorted(k for t in themes for k in t.keys) == list(range(len(texts)))
    assert suggest_themes([]) == []
    [single] = suggest_themes(cards[:1])
    assert single.keys == [0] and single.groups == 1


def test_normalise_folds_case_umlauts_and_function_words():
    assert normalise("Für die Mütter: Straßenbahn!") == "mutter strassenbahn"
    assert normalise("Мовні КУРСИ") == "мовні курси"

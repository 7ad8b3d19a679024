"""Group colour swatches keep a 3:1 edge against the white page, whatever colour is chosen."""

import pytest

from forum.colours import contrast, swatch_edge


@pytest.mark.parametrize("colour", ["#FFFFFF", "#FFFF00", "#000000", "#808080", "#e05a00"])
def test_swatch_edge_stands_out_3_to_1_from_the_page(colour):
    assert contrast(swatch_edge(colour), "#ffffff") >= 3


def test_light_colours_get_a_dark_edge_and_strong_ones_keep_their_own():
    assert swatch_edge("#FFFFFF") == swatch_edge("#FFFF00") == "#1a1a1a"
    assert swatch_edge("#000000") == "#000000"
    assert swatch_edge("#767676") == "#767676"  # 4.5:1 on white: its own colour is enough


def test_contrast_matches_the_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffff00", "#ffffff") == pytest.approx(1.07, abs=0.01)


def test_a_malformed_colour_still_gets_a_visible_edge():
    assert swatch_edge("") == swatch_edge(None) == swatch_edge("red") == "#1a1a1a"


def test_on_a_dark_page_the_edge_is_light():
    assert contrast(swatch_edge("#000000", page="#16325c"), "#16325c") >= 3

"""IRI path segments for any id: what stays as it is and what is percent-encoded, exactly."""
from __future__ import annotations

import pytest

from kg.graph.iris import iri_segment


@pytest.mark.parametrize("value,segment", [
    # ids that need nothing
    ("000_fd245a2f0af1f295", "000_fd245a2f0af1f295"),
    ("kim-jong-un", "kim-jong-un"),
    ("a~b.c_d-e", "a~b.c_d-e"),
    (".hidden", ".hidden"),  # dots are kept unless they are all there is
    ("", ""),
    # letters and digits of any script are IRI characters
    ("Kızılay", "Kızılay"),
    ("ª", "ª"),
    ("٣", "٣"),
    ("Ὀδυσσεύς", "Ὀδυσσεύς"),
    # everything else is encoded as UTF-8, `%` included, so that no two ids share a segment
    ("a b", "a%20b"),
    ("a/b", "a%2Fb"),
    ("x#y?z", "x%23y%3Fz"),
    ("100%", "100%25"),
    ("a%20b", "a%2520b"),
    ('"q" <t> {u}', "%22q%22%20%3Ct%3E%20%7Bu%7D"),
    ("tab\there", "tab%09here"),
    ("\x85", "%C2%85"),  # a control character of Latin-1
    ("a\u00a0b", "a%C2%A0b"),  # a no-break space is no letter
    ("\ue000", "%EE%80%80"),  # private use
    ("😀", "%F0%9F%98%80"),
    ("Kızılay/çarşı", "Kızılay%2Fçarşı"),
    # a segment of dots only would be resolved away
    (".", "%2E"),
    ("..", "%2E%2E"),
    ("...", "%2E%2E%2E"),
])
def test_iri_segment(value, segment):
    assert iri_segment(value) == segment

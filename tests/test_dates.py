import pytest

from kg.dates import resolve_date


@pytest.mark.parametrize("text,published,future,expected", [
    ("on Wednesday", "2019-01-24", False, "2019-01-23"),
    ("on Saturday", "2020-02-29", False, "2020-02-29"),  # the publication day itself
    ("Friday night", "2019-06-29", False, "2019-06-28"),
    ("September last year", "2019-01-24", False, "2018-09"),
    ("the end of February", "2019-01-24", True, "2019-02"),
    ("in July", "2018-09-16", False, "2018-07"),
    ("since December", "2019-06-29", False, "2018-12"),
    ("March 10", "2020-02-29", True, "2020-03-10"),
    ("on March 4", "2018-03-14", False, "2018-03-04"),
    ("in 2017", "2020-02-29", False, "2017"),
    ("next month", "2023-03-22", True, "2023-04"),
    ("yesterday", "2023-03-22", False, "2023-03-21"),
    ("two weeks", "2022-03-10", False, ""),
])
def test_resolve_date(text, published, future, expected):
    assert resolve_date(text, published, future=future) == expected

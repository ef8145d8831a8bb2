"""The staff prospects search: a case-insensitive substring of name, email or phone, indexed.

For three characters or more; one or two match the start of a word
(tests/test_staff_prospect_word_search.py).
"""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Prospect
from portal.models.base import utcnow
from portal.models.prospect_search import FTS_TABLE, TRGM_INDEX
from portal.prospects.my_data import erase_prospect
from portal.prospects.staff_list import ProspectFilters, find_prospects, like_text
from tests.factories import gen_agent, gen_property, gen_prospect
from tests.prospect_search_helpers import found
from tests.staff_helpers import gen_tour

PEOPLE = [
    ("Äkäslompolo Järvinen", "akas@example.com", "+358 40 123 4567"),
    ("Jarvi Berg", "jb@example.fi", "040 555 0101"),
    ("Öhman Östlund", "oo_99@example.se", "+46 70 000 1111"),
    ("Élodie Virtanen", "elodie%off@example.fr", ""),
    ("Åsa Virtanen-Koski", "asa.vk@example.com", "+358 50 987 6543"),
    ("Pekka", "pekka@virtanen.example", "0401234567"),
]
QUERIES = [
    "järvinen",
    "JÄRVINEN",
    "ÄKÄS",
    "jarvi",  # not "Järvinen": accents are letters of their own
    "ÖSTLUND",
    "östlund",
    "élodie",
    "ÉLODIE",
    "virtanen",
    "Virtanen-K",
    "example.com",
    "@EXAMPLE",
    "123",
    "+358",
    "0 1",
    "%off",
    "oo_9",
    "o_o",
    "ie%",
    "nobody here",
    "%_%",
    "___",
]
# Shorter than a trigram, a query matches the start of a word instead
# (tests/test_staff_prospect_word_search.py).


@pytest.fixture
def people(admin):
    made = [gen_prospect(name=n, email=e, phone=p) for n, e, p in PEOPLE]
    db.session.commit()
    return made


def _substring_of_any_field(people, q: str) -> list[str]:
    """The specification in Python: newest first, q lowered, a substring of a lowered field."""
    q = q.strip().lower()
    return [
        p.email
        for p in sorted(people, key=lambda p: p.id, reverse=True)
        if any(q in (field or "").lower() for field in (p.name, p.email, p.phone))
    ]


@pytest.mark.parametrize("q", QUERIES)
def test_the_search_finds_exactly_the_substring_matches(admin, people, q):
    """Every query of three characters or more answers what a plain substring test does."""
    assert found(admin, q) == _substring_of_any_field(people, q)


def test_case_folds_beyond_ascii(admin, people):
    """Upper-case Ä, Ö and É find the lower-case letters (SQLite's lower() alone would not)."""
    assert found(admin, "ÄKÄSLOMPOLO") == ["akas@example.com"]
    assert found(admin, "öHMAN") == ["oo_99@example.se"]
    assert found(admin, "äkä") == ["akas@example.com"]


def test_accents_are_not_folded_away(admin, people):
    """ "jarvi" finds Jarvi Berg, not Järvinen."""
    assert found(admin, "jarvi") == ["jb@example.fi"]


def test_like_wildcards_in_the_query_are_literal(admin, people):
    """A % or _ typed into the box is a character, not a wildcard."""
    assert found(admin, "o_o") == []
    assert found(admin, "oo_9") == ["oo_99@example.se"]
    assert found(admin, "e%o") == ["elodie%off@example.fr"]


def test_the_index_follows_renames_erasure_and_deletion(admin, people):
    """The index is current after an update, an erasure and a delete of a prospect."""
    first, second, third = people[0], people[1], people[2]
    first.name = "Renamed Rautio"
    erase_prospect(second)
    db.session.delete(third)
    db.session.commit()
    assert found(admin, "rautio") == [first.email]
    assert found(admin, "äkäslompolo") == []
    assert found(admin, "jb@example") == []
    assert found(admin, "östlund") == []


def test_a_common_term_pages_by_keyset(admin):
    """Pages of a common term cover every match once, newest first, and stop at the last."""
    made = [gen_prospect(name=f"Virtanen {n}") for n in range(7)]
    gen_prospect(name="Someone Else")
    db.session.commit()
    seen, after = [], None
    while True:
        page = find_prospects(
            admin, ProspectFilters(q="virtanen"), now=utcnow(), after=after, per_page=3
        )
        seen += [row.prospect.id for row in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted((p.id for p in made), reverse=True)


def test_the_search_index_exists(app):
    """create_all made the trigram index of the database under test."""
    if db.engine.dialect.name == "sqlite":
        names = set(sa.inspect(db.engine).get_table_names())
        assert FTS_TABLE in names
    else:
        assert TRGM_INDEX in {i["name"] for i in sa.inspect(db.engine).get_indexes("prospect")}


def test_postgresql_serves_the_search_from_the_trigram_index(people):
    """The LIKE the list runs is one the GIN index can answer (escape clause included)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite queries the FTS5 table itself")
    stmt = sa.select(Prospect.id).where(like_text("virtanen"))
    sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")))
    assert TRGM_INDEX in plan


def test_an_agent_searches_only_the_prospects_they_see(app):
    """The search keeps the visibility rule: another property's Virtanen stays hidden."""
    mine, theirs = gen_property(), gen_property()
    agent = gen_agent(mine)
    seen, hidden = gen_prospect(name="Virtanen Mine"), gen_prospect(name="Virtanen Theirs")
    gen_tour(mine, utcnow(), prospect=seen)
    gen_tour(theirs, utcnow(), prospect=hidden)
    db.session.commit()
    assert found(agent, "virtanen") == [seen.email]

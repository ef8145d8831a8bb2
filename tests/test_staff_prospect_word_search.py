"""A staff search of one or two characters: the start of a word in name, email or phone.

A word is a run of letters and digits; everything else (spaces, ``.``, ``@``, ``+``,
``-``, ``_``) separates words. Each word of the query must start a word of the
prospect, case-insensitively for every alphabet, accents kept. Three characters or
more stay a substring match (tests/test_staff_prospect_search.py).
"""

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Prospect
from portal.models.base import utcnow
from portal.models.prospect_word_search import WORDS_INDEX, WORDS_TABLE
from portal.prospects.my_data import erase_prospect
from portal.prospects.staff_list import ProspectFilters, find_prospects, word_start
from tests.factories import STAFF_PASSWORD, gen_prospect
from tests.prospect_search_helpers import found

PEOPLE = [
    ("John Smith", "jsmith@example.com", "+358 40 123 4567"),
    ("Mary Jones", "mary@example.fi", "040 555 0101"),
    ("Kim Lee", "jo.k@example.com", ""),
    ("Ääni Lind", "aani@example.se", "+46 70 000 1111"),
    ("Sanna Äbo", "oo_99@example.se", "99 12"),
    ("Élodie Virtanen-Koski", "elodie%off@example.fr", "0401234567"),
]
WORD_QUERIES = [
    "jo",
    "JO",
    "j",
    "sm",
    "mi",  # inside "Smith": not the start of a word
    "on",
    "ko",  # after a hyphen
    "k",
    "co",  # "com" after a dot
    "om",
    "fi",
    "99",  # after an underscore, and a phone's first word
    "9",
    "35",  # "+358": the plus is not part of the word
    "58",
    "04",
    "12",
    "ää",
    "ÄÄ",
    "Ää",
    "äb",
    "ÄB",
    "a",  # not Ääni nor Äbo: accents are letters of their own
    "é",
    "É",
    "e",  # "example", not "Élodie"
    "j.",  # punctuation in the query is not part of a word either
    "+4",
    "zq",
]
PUNCTUATION = ["%", "_", '"', "*", "'", ":", "&", "|", "!", "(", "%%", "'&", "@", "-", "+", ".."]


@pytest.fixture
def people(admin):
    made = [gen_prospect(name=n, email=e, phone=p) for n, e, p in PEOPLE]
    db.session.commit()
    return made


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _a_word_starts_with_each(people, q: str) -> list[str]:
    """The specification in Python: newest first, every word of q lowered starts a word
    of one of the lowered fields; a query without a letter or digit matches nobody."""
    wanted = _words(q)

    def matches(p) -> bool:
        words = [word for field in (p.name, p.email, p.phone) for word in _words(field)]
        return bool(wanted) and all(any(word.startswith(w) for word in words) for w in wanted)

    return [p.email for p in sorted(people, key=lambda p: p.id, reverse=True) if matches(p)]


@pytest.mark.parametrize("q", WORD_QUERIES + PUNCTUATION)
def test_a_short_query_finds_exactly_the_word_starts(admin, people, q):
    """Every one- or two-character query answers what the word-start rule says."""
    assert found(admin, q) == _a_word_starts_with_each(people, q)


def test_word_starts_in_name_email_and_phone(admin, people):
    """ "jo" finds John, Jones and jo.k@; "99" a phone and the word after an underscore."""
    assert found(admin, "jo") == ["jo.k@example.com", "mary@example.fi", "jsmith@example.com"]
    assert found(admin, "99") == ["oo_99@example.se"]
    assert found(admin, "ko") == ["elodie%off@example.fr"]


def test_not_in_the_middle_of_a_word(admin, people):
    """ "mi" is inside Smith and "58" inside +358: neither starts a word."""
    assert found(admin, "mi") == []
    assert found(admin, "58") == []
    assert found(admin, "sm") == ["jsmith@example.com"]


def test_case_folds_beyond_ascii(admin, people):
    """Ä and ä are the same letter; a is not."""
    for q in ("Ää", "ÄÄ", "ää"):
        assert found(admin, q) == ["aani@example.se"]
    assert found(admin, "ÄB") == found(admin, "äb") == ["oo_99@example.se"]
    assert found(admin, "É") == ["elodie%off@example.fr"]


@pytest.mark.parametrize("q", PUNCTUATION)
def test_punctuation_alone_starts_no_word(admin, people, q):
    """Query syntax of either database typed into the box is harmless: nothing starts a
    word with punctuation, so the list is empty (not an error, not everyone)."""
    assert found(admin, q) == []


@pytest.mark.parametrize("q", PUNCTUATION + ["j'", '"j', "j*", "j:", "j&", "j|", "!j", "(j"])
def test_the_page_and_the_api_answer_any_short_query(client, admin, people, q):
    """The page and the API answer 200 for every character, never a 500."""
    from tests.test_staff_prospects import _bearer

    headers = _bearer(admin)
    response = client.get("/api/v1/staff/prospects", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    expected = _a_word_starts_with_each(people, q)
    assert [p["email"] for p in response.get_json()["items"]] == expected
    client.post("/auth/login", data={"email": admin.email, "password": STAFF_PASSWORD})
    assert client.get("/staff/prospects", query_string={"q": q}).status_code == 200


def test_the_index_follows_inserts_renames_erasure_and_deletion(admin, people):
    """The word index is current after an insert, an update, an erasure and a delete."""
    john, mary, kim = people[0], people[1], people[2]
    john.name = "Quentin Smith"
    erase_prospect(mary)
    db.session.delete(kim)
    new = gen_prospect(name="Zoe Quist", email="zq@example.org")
    db.session.commit()
    assert found(admin, "qu") == [new.email, john.email]
    assert found(admin, "zq") == [new.email]
    assert found(admin, "jo") == []
    assert found(admin, "ma") == []


def test_a_common_prefix_pages_by_keyset(admin):
    """Pages of a common word start cover every match once, newest first."""
    made = [gen_prospect(name=f"Virtanen {n}") for n in range(7)]
    gen_prospect(name="Someone Else", email="else@example.org")
    db.session.commit()
    seen, after = [], None
    while True:
        page = find_prospects(admin, ProspectFilters(q="vi"), now=utcnow(), after=after, per_page=3)
        seen += [row.prospect.id for row in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted((p.id for p in made), reverse=True)


def test_the_word_index_exists(app):
    """create_all made the word index of the database under test."""
    if db.engine.dialect.name == "sqlite":
        assert WORDS_TABLE in set(sa.inspect(db.engine).get_table_names())
    else:
        assert WORDS_INDEX in {i["name"] for i in sa.inspect(db.engine).get_indexes("prospect")}


def test_postgresql_serves_a_short_query_from_the_word_index(people):
    """The tsquery the list runs is one the GIN index can answer."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite queries the FTS5 table itself")
    stmt, _ = word_start(sa.select(Prospect.id), "jo")
    sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")))
    assert WORDS_INDEX in plan
